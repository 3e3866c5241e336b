// Stand-in for the SDK's TLS Session ("ssl/session") in the XS lane: not written yet. The lane
// cannot run TLS (every ssl test that needs a handshake is listed in limitations.json); TLS is
// tested on the SDK's real Session in the simulator lane. Construction fails the way a missing
// module would, with a message that says so.
export default class Session {
  constructor() {
    throw new Error("XS lane: no stand-in for the SDK's TLS Session (ssl/session) yet");
  }
}
