'use strict';
// Starts the processes of simulated hosts on behalf of the sandbox process.
// The sandbox process is large, and Node forks it for every child: tens of
// milliseconds of its event loop each time, hundreds of times in a
// many-host run. This small process forks cheaply instead; it relays stdio
// and exit statuses over its IPC channel (see process-spawner.ts).
const { spawn } = require('node:child_process');

const children = new Map();

function send(message) {
  if (process.connected) process.send(message);
}

function killGroup(child) {
  try {
    if (child.pid) process.kill(-child.pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

function start(m) {
  let closed = false;
  const close = (code, signal) => {
    if (closed) return;
    closed = true;
    children.delete(m.id);
    send({ t: 'close', id: m.id, code, signal });
  };
  let child;
  try {
    // Own process group, so a role's whole tree can be killed at once.
    child = spawn(m.file, m.args, { cwd: m.cwd, env: m.env, detached: true });
  } catch {
    close(127, null);
    return;
  }
  children.set(m.id, child);
  child.stdout.on('data', (d) => send({ t: 'out', id: m.id, d }));
  child.stderr.on('data', (d) => send({ t: 'err', id: m.id, d }));
  child.stdin.on('error', () => undefined);
  child.on('error', () => close(127, null));
  child.on('close', (code, signal) => close(code, signal));
}

process.on('message', (m) => {
  const child = children.get(m.id);
  if (m.t === 'spawn') start(m);
  else if (m.t === 'in') child?.stdin.write(Buffer.from(m.d));
  else if (m.t === 'end') child?.stdin.end();
  else if (m.t === 'kill' && child) killGroup(child);
});

process.on('disconnect', () => {
  for (const child of children.values()) killGroup(child);
  process.exit(0);
});
