// The project's own declarations for the ECMA-419 digital class as Moddable implements it
// (modules/io/digital; activeLow and initialValue are Moddable's options, SDK 8.2.3).
declare module "embedded:io/digital" {
  export default class Digital {
    static readonly Input: number;
    static readonly InputPullUp: number;
    static readonly InputPullDown: number;
    static readonly InputPullUpDown: number;
    static readonly Output: number;
    static readonly OutputOpenDrain: number;
    constructor(options: { pin: number; mode: number; activeLow?: boolean; initialValue?: 0 | 1 });
    write(value: 0 | 1): void;
    read(): 0 | 1;
    close(): void;
  }
}
