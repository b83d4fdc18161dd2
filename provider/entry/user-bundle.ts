/**
 * `pulumi-appwrite-users/provider/user-bundle`: this module's whole `module.exports` is the UserBundle provider
 * object, so Pulumi serializes it into `__provider` as a `require` of this subpath. Never rename or move it.
 */
import { providers } from "../index";

export = providers.UserBundle;
