declare module 'dynalite' {
  import type { Server } from 'node:http';
  function dynalite(options?: {
    createTableMs?: number;
    deleteTableMs?: number;
    updateTableMs?: number;
    maxItemSizeKb?: number;
    path?: string;
  }): Server;
  export = dynalite;
}

declare module 'asl-validator' {
  function aslValidator(
    definition: unknown,
    options?: { checkPaths?: boolean; checkArn?: boolean },
  ): { isValid: boolean; errors: unknown[]; errorsText: (separator?: string) => string };
  export = aslValidator;
}
