/**
 * A real SMTP server in the test process (the `smtp-server` package), reading every message it
 * accepts with a real MIME parser (`mailparser`). It can be stopped and started again on the same
 * port, and told to refuse recipients, as a mail server that is down or unwilling would.
 */
import { simpleParser, type ParsedMail } from "mailparser";
import nodemailer from "nodemailer";
import { SMTPServer } from "smtp-server";
import type { Send } from "~/domain/mail/outbox.server";

export interface Received {
  to: string;
  subject: string;
  text: string;
  html: string;
  messageId: string;
  headers: ParsedMail["headers"];
  /** Every header line as sent, by lower-case name. */
  lines: Record<string, string>;
  lang: string | undefined;
}

export interface TestSmtp {
  port: number;
  url: string;
  received: Received[];
  /** While true, every recipient is refused with a temporary error (451). */
  refusing: boolean;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** A sender through this server, as the app's (nodemailer over SMTP). */
  send: Send;
}

/** Starts on `port` (0: any free port, kept for later restarts). */
export async function startSmtp(port = 0): Promise<TestSmtp> {
  let server: SMTPServer | undefined;
  const state: TestSmtp = {
    port,
    url: "",
    received: [],
    refusing: false,
    async start() {
      server = new SMTPServer({
        authOptional: true,
        disabledCommands: ["STARTTLS"],
        logger: false,
        onRcptTo(_address, _session, callback) {
          if (state.refusing) return callback(Object.assign(new Error("Mailbox busy, try later"), { responseCode: 451 }));
          callback();
        },
        onData(stream, _session, callback) {
          simpleParser(stream)
            .then((mail) => {
              const to = Array.isArray(mail.to) ? mail.to[0] : mail.to;
              state.received.push({
                to: to?.value[0]?.address ?? "",
                subject: mail.subject ?? "",
                text: mail.text ?? "",
                html: typeof mail.html === "string" ? mail.html : "",
                messageId: mail.messageId ?? "",
                headers: mail.headers,
                lines: Object.fromEntries(mail.headerLines.map((h) => [h.key, h.line.slice(h.line.indexOf(":") + 1).trim()])),
                lang: mail.headers.get("content-language") as string | undefined,
              });
              callback();
            })
            .catch(callback);
        },
      });
      await new Promise<void>((resolve, reject) => {
        server!.once("error", reject);
        server!.listen(state.port, "127.0.0.1", () => resolve());
      });
      const address = (server as unknown as { server: { address(): { port: number } } }).server.address();
      state.port = address.port;
      state.url = `smtp://127.0.0.1:${state.port}`;
    },
    async stop() {
      if (server) await new Promise<void>((resolve) => server!.close(() => resolve()));
      server = undefined;
    },
    send: async (mail) => {
      const transport = nodemailer.createTransport({ host: "127.0.0.1", port: state.port, secure: false, ignoreTLS: true, connectionTimeout: 2000 });
      await transport.sendMail({ from: "Quorum <quorum@test.example>", ...mail });
    },
  };
  await state.start();
  return state;
}
