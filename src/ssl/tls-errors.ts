// TLS failures as errno numbers. MicroPython's ports raise OSError with mbedTLS's (negative) error
// codes for TLS, e.g. OSError(-9984, 'MBEDTLS_ERR_X509_CERT_VERIFY_FAILED'); usocket-xs uses the
// same numbers on every host, and its message says which check failed.
import { errorcode } from "usocket-xs/errno";

/** The certificate chain, validity period or host name did not verify. */
export const MBEDTLS_ERR_X509_CERT_VERIFY_FAILED = -0x2700;
/** The peer sent a fatal alert (it rejected us: our certificate, version, ciphers, …). */
export const MBEDTLS_ERR_SSL_FATAL_ALERT_MESSAGE = -0x7780;
/** CERT_REQUIRED without any trusted certificate to verify against. */
export const MBEDTLS_ERR_SSL_CA_CHAIN_REQUIRED = -0x7680;
/** No protocol version or cipher suite both ends accept, or the handshake failed otherwise. */
export const MBEDTLS_ERR_SSL_HANDSHAKE_FAILURE = -0x6e00;
export const MBEDTLS_ERR_SSL_BAD_PROTOCOL_VERSION = -0x6e80;
/** The peer does not speak TLS (what it sent is not a TLS record). */
export const MBEDTLS_ERR_SSL_INVALID_RECORD = -0x7200;

const names: [number, string][] = [
  [MBEDTLS_ERR_X509_CERT_VERIFY_FAILED, "MBEDTLS_ERR_X509_CERT_VERIFY_FAILED"],
  [MBEDTLS_ERR_SSL_FATAL_ALERT_MESSAGE, "MBEDTLS_ERR_SSL_FATAL_ALERT_MESSAGE"],
  [MBEDTLS_ERR_SSL_CA_CHAIN_REQUIRED, "MBEDTLS_ERR_SSL_CA_CHAIN_REQUIRED"],
  [MBEDTLS_ERR_SSL_HANDSHAKE_FAILURE, "MBEDTLS_ERR_SSL_HANDSHAKE_FAILURE"],
  [MBEDTLS_ERR_SSL_BAD_PROTOCOL_VERSION, "MBEDTLS_ERR_SSL_BAD_PROTOCOL_VERSION"],
  [MBEDTLS_ERR_SSL_INVALID_RECORD, "MBEDTLS_ERR_SSL_INVALID_RECORD"],
];
// errno.errorcode learns these names only in programs that use TLS (plain socket apps do not pay for them).
for (let i = 0; i < names.length; i++) errorcode[names[i][0]] = names[i][1];

/** TLS alert descriptions (RFC 8446 §6), for messages. */
export function alertName(code: number): string {
  switch (code) {
    case 0: return "close_notify";
    case 10: return "unexpected_message";
    case 20: return "bad_record_mac";
    case 40: return "handshake_failure";
    case 42: return "bad_certificate";
    case 43: return "unsupported_certificate";
    case 44: return "certificate_revoked";
    case 45: return "certificate_expired";
    case 46: return "certificate_unknown";
    case 47: return "illegal_parameter";
    case 48: return "unknown_ca";
    case 49: return "access_denied";
    case 50: return "decode_error";
    case 51: return "decrypt_error";
    case 70: return "protocol_version";
    case 71: return "insufficient_security";
    case 80: return "internal_error";
    case 90: return "user_canceled";
    case 109: return "missing_extension";
    case 110: return "unsupported_extension";
    case 112: return "unrecognized_name";
    case 116: return "certificate_required";
    case 120: return "no_application_protocol";
    default: return `alert ${code}`;
  }
}
