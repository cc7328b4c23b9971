// GET / : a chat page to poke the lesson with a browser. Open it in two
// tabs (or add ?polling to force HTTP long-polling, the transport that needs
// sticky sessions) and watch which worker each tab lands on.
// Socket.IO serves its own browser client at /socket.io/socket.io.js.
export function chatPage(workerId: number, mode: string): string {
  return `<!doctype html>
<meta charset="utf-8">
<title>Lesson 12: chat (MODE=${mode})</title>
<p>This page came from worker ${workerId}. <span id="me">connecting...</span></p>
<form id="form"><input id="text" autocomplete="off" placeholder="say something"> <button>send</button></form>
<ul id="log"></ul>
<script src="/socket.io/socket.io.js"></script>
<script>
  const polling = new URLSearchParams(location.search).has('polling');
  const socket = io({ transports: polling ? ['polling'] : ['polling', 'websocket'] });
  const show = (text) => {
    const li = document.createElement('li');
    li.textContent = text;
    document.getElementById('log').prepend(li);
  };
  socket.on('connect', () => socket.emit('whoami', (me) => {
    document.getElementById('me').textContent =
      'Connected to worker ' + me.workerId + ' (pid ' + me.workerPid + ') over ' + socket.io.engine.transport.name;
  }));
  socket.on('connect_error', (err) => show('connect error: ' + err.message));
  // A session that ends (a request the other worker refused, the server gone): say so.
  socket.on('disconnect', (reason) => show('disconnected: ' + reason));
  socket.on('message', (m) => show(m.from + ' (worker ' + m.workerId + '): ' + m.text));
  document.getElementById('form').onsubmit = (event) => {
    event.preventDefault();
    socket.emit('message', document.getElementById('text').value);
    document.getElementById('text').value = '';
  };
</script>
`;
}
