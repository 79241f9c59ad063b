import type { Command } from 'commander';
import type { CliIo } from '../io';
import { consoleCommand } from './console';
import { configureCommand, hostCommand, ipCommand, scaleCommand } from './day2';
import { demoCommand } from './demo';
import { planCommand } from './plan';
import { eventsCommand } from './events';
import { createCommand, deleteCommand, retryCommand, timelineCommand, listCommand, showCommand } from './provisions';
import { opennebulaCommand } from './opennebula';
import { sandboxCommand, serveCommand } from './sandbox';
import { scheduleCommand } from './schedule';
import { validateCommand } from './validate';

/** A CLI verb: registers itself (and its options) on the program. */
export type CommandModule = (program: Command, io: CliIo) => void;

/** Every verb of edgectl, in help order. */
export const COMMANDS: CommandModule[] = [
  createCommand,
  listCommand,
  showCommand,
  eventsCommand,
  deleteCommand,
  retryCommand,
  scaleCommand,
  hostCommand,
  ipCommand,
  configureCommand,
  timelineCommand,
  consoleCommand,
  validateCommand,
  planCommand,
  serveCommand,
  sandboxCommand,
  opennebulaCommand,
  demoCommand,
  scheduleCommand,
];
