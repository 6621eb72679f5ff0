// A raw WebSocket echo on Node.js and ws, as the TypeScript Netron serves: every binary message is
// answered with the 11-byte CALL response the Java raw echo sends. Prints READY <port> once listening.
'use strict';
const { WebSocketServer } = require('ws');

const REPLY = Buffer.from(process.argv[3], 'hex');
const server = new WebSocketServer({ host: '127.0.0.1', port: Number(process.argv[2] || 0), perMessageDeflate: false });
server.on('connection', (socket) => {
  socket.on('message', () => socket.send(REPLY, { binary: true }));
});
server.on('listening', () => console.log('READY ' + server.address().port));
