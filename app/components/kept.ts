/** Names shared by the "saved on this device" view (KeptOnDevice.tsx) and the scripts that fill it; nothing else, so the page script stays small. */

/** Where the receipt code goes: filled by the service worker or by the page script. */
export const KEPT_RECEIPT = "__RECEIPT__";
/** The template a consultation page carries for the page script (app/service-worker/enhance.ts). */
export const KEPT_TEMPLATE_ID = "quorum-kept";
