// A raw WebSocket echo client on Node.js and ws: keeps IN_FLIGHT messages in flight on one connection
// for SECONDS, then prints "RESULT <answered> <elapsed ns> <p50 us> <p99 us>".
// Usage: node ws-echo-client.js URL FRAME_HEX IN_FLIGHT SECONDS
'use strict';
const WebSocket = require('ws');

const [url, frameHex, inFlightArg, secondsArg] = process.argv.slice(2);
const frame = Buffer.from(frameHex, 'hex');
const inFlight = Number(inFlightArg);
const durationNs = BigInt(Math.round(Number(secondsArg) * 1e9));
const socket = new WebSocket(url, { perMessageDeflate: false });
const sentAt = [];
const latencies = [];
let answered = 0;
let outstanding = 0;
let start;
let end;

socket.on('open', () => {
  start = process.hrtime.bigint();
  end = start + durationNs;
  for (let i = 0; i < inFlight; i++) {
    send();
  }
});

function send() {
  sentAt.push(process.hrtime.bigint());
  outstanding++;
  socket.send(frame, { binary: true });
}

socket.on('message', () => {
  const now = process.hrtime.bigint();
  latencies.push(Number(now - sentAt.shift()) / 1000);
  answered++;
  outstanding--;
  if (now < end) {
    send();
  }
  else if (outstanding === 0) {
    const elapsed = process.hrtime.bigint() - start;
    latencies.sort((a, b) => a - b);
    const at = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] || 0;
    console.log(`RESULT ${answered} ${elapsed} ${Math.round(at(0.5))} ${Math.round(at(0.99))}`);
    socket.close();
  }
});
socket.on('error', (error) => {
  console.error(error.message);
  process.exit(1);
});
