/** The `version` every Appwrite error body carries (APP_VERSION_STABLE of the emulated server). */
export const APPWRITE_VERSION = "1.9.6";

/** An error answered as Appwrite's JSON error body `{message, code, type, version}`. */
export class ApiError extends Error {
    constructor(
        readonly code: number,
        readonly type: string,
        message: string,
    ) {
        super(message);
        this.name = "ApiError";
    }

    body(): { message: string; code: number; type: string; version: string } {
        return { message: this.message, code: this.code, type: this.type, version: APPWRITE_VERSION };
    }
}

// Messages are Appwrite's own (app/config/errors.php) so that clients matching on text behave the same.
export const invalidParam = (name: string, description: string): ApiError =>
    new ApiError(400, "general_argument_invalid", `Invalid \`${name}\` param: ${description}`);

export const missingParam = (name: string): ApiError => new ApiError(400, "general_argument_invalid", `Param "${name}" is not optional.`);

export const routeNotFound = (): ApiError =>
    new ApiError(404, "general_route_not_found", "The requested route was not found. Please refer to the API docs and try again.");

export const notImplemented = (method: string, path: string): ApiError =>
    new ApiError(
        501,
        "general_not_implemented",
        `The Appwrite emulator does not implement ${method} ${path}. It covers the Users API and GET /v1/health/version.`,
    );

/** Any non-Appwrite exception on the server (DB duplicate, hash-library argument error) surfaces like this. */
export const serverError = (): ApiError => new ApiError(500, "general_unknown", "Server Error");

export const rateLimitExceeded = (): ApiError =>
    new ApiError(
        429,
        "general_rate_limit_exceeded",
        "Rate limit for the current endpoint has been exceeded. Please try again after some time.",
    );

export const userNotFound = (): ApiError => new ApiError(404, "user_not_found", "User with the requested ID could not be found.");

export const userAlreadyExists = (): ApiError =>
    new ApiError(409, "user_already_exists", "A user with the same id, email, or phone already exists in this project.");

export const userEmailAlreadyExists = (): ApiError =>
    new ApiError(409, "user_email_already_exists", "A user with the same email already exists in the current project.");

export const userPhoneAlreadyExists = (): ApiError =>
    new ApiError(409, "user_phone_already_exists", "A user with the same phone number already exists in the current project.");

export const targetAlreadyExists = (): ApiError =>
    new ApiError(409, "user_target_already_exists", "A target with the same ID already exists.");

export const targetNotFound = (): ApiError => new ApiError(404, "user_target_not_found", "The target could not be found.");

export const providerNotFound = (): ApiError =>
    new ApiError(404, "provider_not_found", "Provider with the requested ID could not be found.");

export const providerIncorrectType = (): ApiError =>
    new ApiError(400, "provider_incorrect_type", "Provider with the requested ID is of the incorrect type.");

export const invalidEmail = (): ApiError => new ApiError(400, "general_invalid_email", "Value must be a valid email address.");

export const invalidPhone = (): ApiError =>
    new ApiError(
        400,
        "general_invalid_phone",
        "Value must be a valid phone number. Format this number with a leading '+' and a country code, e.g., +16175551212.",
    );

export const cursorNotFound = (kind: "User" | "Target", id: string): ApiError =>
    new ApiError(400, "general_cursor_not_found", `${kind} '${id}' for the 'cursor' value not found.`);

export const orderNull = (attribute: string): ApiError =>
    new ApiError(400, "database_query_order_null", `Order attribute '${attribute}' is empty`);

/** `allowed` is every scope the route accepts (any one suffices), listed as PHP's json_encode writes them. */
export const unauthorizedScope = (who: string, allowed: readonly string[]): ApiError =>
    new ApiError(401, "general_unauthorized_scope", `${who} missing scopes (${JSON.stringify(allowed)})`);

export const userUnauthorized = (): ApiError =>
    new ApiError(401, "user_unauthorized", "The current user is not authorized to perform the requested action.");

export const projectIdMissing = (): ApiError =>
    new ApiError(
        403,
        "project_id_missing",
        "When using project API key, make sure to pass x-appwrite-project header with your project ID.",
    );

export const projectNotFound = (): ApiError =>
    new ApiError(
        404,
        "project_not_found",
        "Project with the requested ID could not be found. Please check the value of the X-Appwrite-Project header to ensure the correct project ID is being used.",
    );

export const sessionNotFound = (): ApiError => new ApiError(404, "user_session_not_found", "The current user session could not be found.");

export const identityNotFound = (): ApiError =>
    new ApiError(
        404,
        "user_identity_not_found",
        "The identity could not be found. Please sign in with OAuth provider to create identity first.",
    );

export const authenticatorNotFound = (): ApiError =>
    new ApiError(404, "user_authenticator_not_found", "Authenticator could not be found on the current user.");

export const recoveryCodesAlreadyExist = (): ApiError =>
    new ApiError(
        409,
        "user_recovery_codes_already_exists",
        "The current user already generated recovery codes and they can only be read once for security reasons.",
    );

export const recoveryCodesNotFound = (): ApiError =>
    new ApiError(404, "user_recovery_codes_not_found", "Recovery codes could not be found on the current user.");

export const invalidToken = (): ApiError => new ApiError(401, "user_invalid_token", "Invalid token passed in the request.");

export const authenticatorAlreadyVerified = (): ApiError =>
    new ApiError(409, "user_authenticator_already_verified", "This authenticator is already verified on the current user.");

export const moreFactorsRequired = (): ApiError =>
    new ApiError(401, "user_more_factors_required", "More factors are required to complete the sign in process.");

export const userBlocked = (): ApiError => new ApiError(403, "user_blocked", "The current user has been blocked.");

export const smtpDisabled = (): ApiError => new ApiError(503, "general_smtp_disabled", "SMTP disabled");

export const phoneDisabled = (): ApiError => new ApiError(503, "general_phone_disabled", "Phone provider not configured");
