/**
 * The browser tests' mail server: a real SMTP server (smtp-server) the app sends to, and a small
 * HTTP endpoint the tests read what arrived from (`GET /messages`, parsed by mailparser). Started
 * by playwright.config.ts beside the app. `POST /stop` and `POST /start` take the SMTP side down
 * and up again, as a mail server that fails would.
 */
import http from "node:http";
import { startSmtp } from "../helpers/smtp";

const smtpPort = Number(process.env.MAILBOX_SMTP_PORT ?? 3101);
const httpPort = Number(process.env.MAILBOX_HTTP_PORT ?? 3102);

const smtp = await startSmtp(smtpPort);

http
  .createServer((req, res) => {
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { "Content-Type": "application/json" });
      res.end(JSON.stringify(body));
    };
    if (req.method === "GET" && req.url === "/healthz") return reply(200, { ok: true });
    if (req.method === "GET" && req.url === "/messages") return reply(200, smtp.received);
    if (req.method === "POST" && req.url === "/stop") return void smtp.stop().then(() => reply(200, { up: false }));
    if (req.method === "POST" && req.url === "/start") return void smtp.start().then(() => reply(200, { up: true }));
    reply(404, {});
  })
  .listen(httpPort, "127.0.0.1");
