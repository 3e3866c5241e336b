// Stand-in for the SDK's "ssl/alert": only what hosts/moddable passes to Session.doProtocol().
export default { name: "alert", close_notify: 0 };
