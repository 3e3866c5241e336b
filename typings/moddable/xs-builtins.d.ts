// XS built-ins the Moddable host uses that TypeScript's ES2022 library does not declare:
// ArrayBuffer.fromString (an XS extension: the string's UTF-8 bytes) and ES2024's well-formed strings.
interface ArrayBufferConstructor {
  fromString(text: string): ArrayBuffer;
}
interface String {
  isWellFormed(): boolean;
  toWellFormed(): string;
}
