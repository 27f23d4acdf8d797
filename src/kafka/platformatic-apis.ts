// @platformatic/kafka picks each API's implementation for the broker's versions through its
// exported `kGetApi` method; this adapter replaces two of them (Produce, to encode a batch into
// one Buffer; Fetch, to read the record batches where they arrived and keep every one of them
// from the client's read_committed filter).
import { kGetApi } from '@platformatic/kafka';

export type Api = ((...args: unknown[]) => void) & { version: number; key: number; async: unknown };
type GetApi = (name: string, callback: (error: Error | null, api?: Api) => void) => void;

/** Lets `replace` swap or wrap the implementation of API `name` that the client picked. */
export function replaceApi(client: object, name: string, replace: (api: Api) => Api): void {
  const target = client as Record<symbol, GetApi>;
  const own = target[kGetApi]!.bind(client);
  target[kGetApi] = (requested, callback) =>
    own(requested, (error, api) => {
      if (error || requested !== name || !api) return callback(error, api);
      callback(null, replace(api));
    });
}
