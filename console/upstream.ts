import { ApiUnreachableError, type ApiClient } from '../cli/api-client';

/**
 * The API the console talks to, through edgectl's own client (bearer token
 * or SigV4). When the API stops answering — the sandbox daemon was stopped
 * or restarted on another port — it connects again once (which starts the
 * sandbox again, like any edgectl verb) before giving up.
 */
export class Upstream {
  private client: Promise<ApiClient> | undefined;

  constructor(
    private readonly connect: () => Promise<ApiClient>,
    /** How pages name the API: `local sandbox` or the endpoint. */
    readonly target: string,
    /** True for the local sandbox, which may keep inline credentials in its own secret store. */
    readonly local: boolean,
  ) {}

  /** Runs `use` with a connected client, reconnecting once if the API cannot be reached. */
  async with<T>(use: (api: ApiClient) => Promise<T>): Promise<T> {
    try {
      return await use(await this.current());
    } catch (err) {
      if (!(err instanceof ApiUnreachableError)) throw err;
      this.client = undefined;
      return use(await this.current());
    }
  }

  /** A JSON call; throws `ApiError` with the API's problem details on 4xx/5xx. */
  call<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
    return this.with((api) => api.call<T>(method, path, body, headers));
  }

  /** One request forwarded as is; the response is returned whatever its status. */
  send(method: string, path: string, init: { body?: string; headers?: Record<string, string> }): Promise<Response> {
    return this.with((api) => api.send(method, path, init));
  }

  private current(): Promise<ApiClient> {
    const pending = (this.client ??= this.connect());
    // A failed connection is not cached: the next request tries again.
    pending.catch(() => {
      if (this.client === pending) this.client = undefined;
    });
    return pending;
  }
}
