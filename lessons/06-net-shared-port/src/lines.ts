// Plumbing for this lesson's protocol: TCP is a stream of bytes, not of
// messages, so one 'data' event may hold half a line or several lines. This
// buffers the text and calls onLine once per complete line (a trailing \r
// dropped, so `nc -C` and telnet work too). A line longer than maxBytes ends
// the connection with an error line instead: a client that never sends \n
// must not grow the buffer forever.
import type net from 'node:net';

export function readLines(socket: net.Socket, maxBytes: number, onLine: (line: string) => void): void {
  socket.setEncoding('utf8');
  const tooLong = (text: string) => Buffer.byteLength(text) > maxBytes;
  let buffered = '';
  socket.on('data', (chunk: string) => {
    buffered += chunk;
    let newline = buffered.indexOf('\n');
    // Stop at the first over-long line, or once onLine has ended the socket.
    while (newline !== -1 && !socket.writableEnded) {
      const line = buffered.slice(0, newline).replace(/\r$/, '');
      if (tooLong(line)) break;
      buffered = buffered.slice(newline + 1);
      onLine(line);
      newline = buffered.indexOf('\n');
    }
    if (!socket.writableEnded && (newline !== -1 || tooLong(buffered))) {
      socket.end(`error: line too long (max ${maxBytes} bytes)\n`);
      buffered = '';
    }
  });
}
