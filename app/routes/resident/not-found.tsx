import { notFound } from "~/web/http.server";

/** Unknown pages under a language: a 404 in that language. */
export function loader() {
  throw notFound();
}

export default function NotFound() {
  return null;
}
