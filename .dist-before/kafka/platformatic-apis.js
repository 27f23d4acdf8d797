// @platformatic/kafka picks each API's implementation for the broker's versions through its
// exported `kGetApi` method; this adapter replaces two of them (Produce, to encode a batch into
// one Buffer; Fetch, to see every batch before the client's read_committed filter).
import { kGetApi } from '@platformatic/kafka';
/** Lets `replace` swap or wrap the implementation of API `name` that the client picked. */
export function replaceApi(client, name, replace) {
    const target = client;
    const own = target[kGetApi].bind(client);
    target[kGetApi] = (requested, callback) => own(requested, (error, api) => {
        if (error || requested !== name || !api)
            return callback(error, api);
        callback(null, replace(api));
    });
}
//# sourceMappingURL=platformatic-apis.js.map