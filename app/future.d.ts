// Loader and action data are typed as single fetch sends them (Remix v2 `v3_singleFetch`).
import "@remix-run/node";

declare module "@remix-run/node" {
  interface Future {
    v3_singleFetch: true;
  }
}
