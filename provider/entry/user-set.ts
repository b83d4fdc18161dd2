/**
 * `pulumi-appwrite-users/provider/user-set`: this module's whole `module.exports` is the UserSet provider
 * object, so Pulumi serializes it into `__provider` as a `require` of this subpath. Never rename or move it.
 */
import { providers } from "../index";

export = providers.UserSet;
