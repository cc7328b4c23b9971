// What a mentor says about exercise 12 (how it is used: shared/src/tools/exercise/mentor.ts).
import type { Mentor } from '@cluster-course/shared/tools/exercise/mentor';

export const mentor: Mentor = {
  words: [
    {
      claim: 'sticky: the WebSocket handshake',
      // No 101 came back within 5 s: the connection reached no worker's server.
      when: /aborted|timeout/i,
      say:
        'In MODE=sticky the handshake never came back: the connection reached no worker’s HTTP server. The ' +
        'primary sends each socket to its worker (worker.send(CONNECTION, socket)); the worker makes it a ' +
        "connection of its server: server.emit('connection', socket).",
    },
    {
      claim: 'sticky, polling only, 20 clients on 20 addresses',
      when: /expected 1 to be 2/,
      say:
        'Every client went to the same worker: the hash must come from what differs between clients, their ' +
        'address (socket.remoteAddress). The server’s own address (socket.localAddress) is the same for all.',
    },
  ],
  wrong: [
    {
      name: 'the handed socket never given to the server',
      file: 'sticky-by-address.ts',
      edits: [["    server.emit('connection', socket);\n", '']],
      when: 'check',
      says: 'In MODE=sticky the handshake never came back',
    },
    {
      name: "the hash of the server's address, not the client's",
      file: 'sticky-by-address.ts',
      edits: [['addressHash(socket.remoteAddress', 'addressHash(socket.localAddress']],
      when: 'check',
      says: 'Every client went to the same worker',
    },
  ],
};
