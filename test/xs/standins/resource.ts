// Stand-in for Moddable's "Resource": the XS lane's app has no resources.
export default class Resource {
  constructor(path: string) {
    throw new Error(`${path}: no resources in the XS lane`);
  }
  static exists(): boolean {
    return false;
  }
}
