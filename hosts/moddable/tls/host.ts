// TLS on Moddable: see tls.ts. (Bound as usocket-xs/host-tls by manifest-ssl.json.)
import type { TlsPort } from "usocket-xs/port-tls";
export const tls: TlsPort | undefined = undefined;
