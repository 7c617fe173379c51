using System.Globalization;
using System.Reflection;
using System.Resources;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using CaseHandling.Server.Infrastructure.Http;
using CaseHandling.Server.Infrastructure.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.OpenApi;

namespace CaseHandling.Server.Infrastructure.OpenApi;

/// <summary>
/// The OpenAPI document at /openapi/v1.json, made to describe the API as it behaves (docs/API.md). The routes say what
/// only they know (<see cref="ApiDocs"/>: summary, description, answer); the rest is derived here from each endpoint's
/// own metadata, so that a new route gets it without asking: the security requirement from its policy, the error
/// answers from its route, body, policy and rate limit, ETag/If-Match from <see cref="VersionedMetadata"/>, the meaning of
/// every enum value from the English texts (enum.&lt;Type&gt;.&lt;Value&gt;).
/// </summary>
public static class OpenApiDocumentation
{
    public const string BearerScheme = "bearer";
    public const string CookieScheme = "cookie";
    public const string ProblemSchema = "Problem";
    public const string CookieName = ".AspNetCore.Identity.Application";

    public static void Configure(OpenApiOptions o)
    {
        // 3.0 rather than 3.1: what every common generator (NSwag, Kiota, openapi-generator) reads without surprises.
        o.OpenApiVersion = OpenApiSpecVersion.OpenApi3_0;
        o.AddSchemaTransformer(SchemaAsync);
        o.AddOperationTransformer(OperationAsync);
        o.AddDocumentTransformer(DocumentAsync);
    }

    /// <summary>The tags the route table uses, and what each holds.</summary>
    public static readonly IReadOnlyDictionary<string, string> Tags = new Dictionary<string, string>
    {
        ["Auth"] = "Signing in (a bearer token, or the sign-in cookie) and one's own account, with TOTP two-factor.",
        ["Chain"] = "The meld-, overleg- en aangifteplicht step by step (WPO art. 4a, WVO art. 3, WEC art. 4a, WEB art. 1.3.8, WHW art. 1.20): " +
            "the notification, the overleg with the vertrouwensinspecteur, its outcome, informing the parties, the aangifte, notifying the inspector, the follow-up.",
        ["Work lists"] = "What is due: the board's open duties, the inspector's consultations, the inspectors a board can name.",
        ["Meldpunt (reporter)"] = "The meld-/steunpunt for reporters: anonymous, no account; the receipt code only ever in a request body. Rate-limited without identifying anyone.",
        ["Meldpunt (handler)"] = "The meldpunt handler's side: the inbox, the anonymous dialogue, forwarding with consent, repeat-accused matching.",
        ["Admin"] = "Administration: institutions, accounts, the rules in force, key rotation. Never case content.",
        ["Figures"] = "Monitoring figures with small-cell suppression (docs/STATISTICS.md).",
    };

    /// <summary>Who a policy lets in, in words for the description.</summary>
    private static readonly IReadOnlyDictionary<string, string> PolicyWords = new Dictionary<string, string>
    {
        [Policies.Board] = "a board (bestuur) of the case's institution",
        [Policies.Inspector] = "a vertrouwensinspecteur with whom the overleg was started",
        [Policies.CaseReader] = "the case's board, or the vertrouwensinspecteur of its overleg",
        [Policies.StaffMember] = "a staff member (personeelslid)",
        [Policies.MeldpuntHandler] = "a meldpunt handler",
        [Policies.Administrator] = "an administrator (beheerder)",
        [Policies.Figures] = "a board (its own institution beside its sector) or an administrator",
        [Policies.SignedIn] = "any signed-in account",
    };

    private static readonly (int Status, string Description)[] ErrorWords =
    [
        (400, "Invalid input: `errors` names each invalid field (RFC 9457 ProblemDetails)."),
        (401, "Not signed in: send a bearer token (`POST /api/auth/login`) or the sign-in cookie."),
        (403, "Signed in, but this is not your role's operation (or, on the account operations, not allowed on this account)."),
        (404, "Not found, or not yours: another institution's case answers exactly as a case that does not exist."),
        (409, "Not allowed now: `currentState` is the state it is in, `allowed` the steps that may happen next. Also a concurrent change, " +
              "or an `If-Match` version that is no longer current: read it again and retry."),
        (429, "Too many requests: a shared bucket for every reporter (it identifies no one) is empty; retry after a minute."),
    ];

    private static Task OperationAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        var document = context.Document ?? throw new InvalidOperationException("OpenAPI operation transformer without its document");
        EnsureComponents(document);
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        var anonymous = metadata.OfType<IAllowAnonymous>().Any();
        var policies = metadata.OfType<IAuthorizeData>().Select(a => a.Policy ?? Policies.SignedIn).Distinct().ToList();
        if (policies.Count == 0) policies.Add(Policies.SignedIn); // the fallback policy: signed in
        var rateLimited = metadata.OfType<EnableRateLimitingAttribute>().Any();
        var versioned = metadata.OfType<VersionedMetadata>().Any();
        var route = context.Description.RelativePath ?? "";

        var notes = new List<string>();
        if (anonymous)
        {
            // An empty requirement: no credentials needed (and none are looked at).
            operation.Security = [new OpenApiSecurityRequirement()];
            notes.Add("**Anonymous**: no account, no cookie; nothing identifies the caller.");
        }
        else
        {
            operation.Security =
            [
                new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, document)] = [] },
                new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(CookieScheme, document)] = [] },
            ];
            notes.Add("**Who may call**: " + string.Join("; ", policies.Select(p => PolicyWords.TryGetValue(p, out var w) ? w : p)) + ".");
        }
        if (rateLimited) notes.Add("**Rate-limited** per connection address and by a ceiling over everyone (`ReporterRateLimits:*PerMinute`): 429 when a bucket is empty.");
        if (versioned)
            notes.Add("**Versions**: the answer carries the case's `version` in the body and as an `ETag`. Send it back as `If-Match` " +
                      "to make the next step conditional: a version that is no longer current answers 409.");
        operation.Description = string.Join("\n\n", new[] { operation.Description ?? operation.Summary ?? "" }.Concat(notes).Where(s => s.Length > 0));

        // The error answers: those the endpoint declares, and those its shape implies.
        var statuses = new SortedSet<int>(metadata.OfType<IProducesResponseTypeMetadata>().Select(p => p.StatusCode).Where(s => s >= 400));
        operation.Responses ??= new OpenApiResponses();
        foreach (var key in operation.Responses.Keys.Where(k => int.TryParse(k, out var s) && s >= 400).ToList())
            operation.Responses.Remove(key); // replaced below by the shape the API really sends
        statuses.Remove(404); // re-added below only where something can be not found
        // Every command takes an Idempotency-Key (Infrastructure/Http/Idempotency.cs): a parameter of each POST and PUT, so a
        // generated client can send it.
        var method = context.Description.HttpMethod ?? "";
        if (route.StartsWith("api/", StringComparison.Ordinal) && method is "POST" or "PUT")
        {
            operation.Parameters ??= [];
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = IdempotencyKey.Header, In = ParameterLocation.Header, Required = false,
                Schema = new OpenApiSchema { Type = JsonSchemaType.String, MinLength = IdempotencyKey.MinLength, MaxLength = IdempotencyKey.MaxLength },
                Description = "Makes a retry safe: a repeat of this request with the same key (16 to 255 visible characters, e.g. a UUID) gets the " +
                              "first answer back, marked `Idempotent-Replayed: true`, and nothing is done twice. The same key with another body is 422; " +
                              "a repeat while the first is still running is 409 with `Retry-After`; a key that is not valid is 400.",
                Example = JsonValue.Create("3f2c8e4a-5b1d-4c2e-9a7f-0d6b8e1c4a2f"),
            });
        }
        if (metadata.OfType<MultipartUpload>().FirstOrDefault() is { } upload)
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Description = $"`{upload.TextField}` first, then `{upload.FileField}`: the file is read as it arrives.",
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    ["multipart/form-data"] = new()
                    {
                        Schema = new OpenApiSchema
                        {
                            Type = JsonSchemaType.Object,
                            Required = new HashSet<string> { upload.TextField, upload.FileField },
                            Properties = new Dictionary<string, IOpenApiSchema>
                            {
                                [upload.TextField] = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 64, Description = "The receipt code." },
                                [upload.FileField] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary", Description = "The file." },
                            },
                        },
                    },
                },
            };
        var hasInput = operation.RequestBody is not null
                       || operation.Parameters?.Any(p => p.In is ParameterLocation.Query or ParameterLocation.Header) == true;
        if (hasInput) statuses.Add(400);
        if (!anonymous) statuses.Add(401);
        if (!anonymous && policies.Any(p => p != Policies.SignedIn)) statuses.Add(403);
        // A typed NotFound of the account endpoints (an account deleted while signed in) is not an answer a client can reach.
        if (route.Contains('{') || metadata.OfType<IProducesResponseTypeMetadata>().Any(p => p.StatusCode == 404 && p.Type == typeof(Microsoft.AspNetCore.Mvc.ProblemDetails)))
            statuses.Add(404);
        if (metadata.OfType<ConflictMetadata>().Any()) statuses.Add(409);
        if (rateLimited) statuses.Add(429);
        foreach (var status in statuses)
            operation.Responses[status.ToString(CultureInfo.InvariantCulture)] = ProblemResponse(status, document);

        foreach (var parameter in operation.Parameters?.OfType<OpenApiParameter>() ?? [])
        {
            if (parameter.Name == "If-Match")
            {
                parameter.Description = "The `version` (the `ETag`) of the case as last read, e.g. `\"7\"`: the step is done only if the case is still " +
                                        "at that version, else 409. Leave it out to act on whatever is current.";
                parameter.Example = JsonValue.Create("\"7\"");
            }
            else if (parameter.In == ParameterLocation.Path && parameter.Description is null)
                parameter.Description = parameter.Name == "id" ? "The id (a UUID) of the " + (route.Contains("users/") ? "account" : route.Contains("institutions/") ? "institution" : route.Contains("meldpunt/") ? "report" : "case") + "."
                    : "The id (a UUID) of one of the two reports.";
        }
        if (versioned)
            foreach (var (key, response) in operation.Responses.Where(r => r.Key.StartsWith('2')).ToList())
                if (response is OpenApiResponse r)
                {
                    r.Headers ??= new Dictionary<string, IOpenApiHeader>();
                    r.Headers["ETag"] = new OpenApiHeader
                    {
                        Description = "The case's version, quoted (`\"7\"`): send it back as `If-Match` on the next step.",
                        Schema = new OpenApiSchema { Type = JsonSchemaType.String },
                    };
                }
        return Task.CompletedTask;
    }

    private static OpenApiResponse ProblemResponse(int status, OpenApiDocument document) => new()
    {
        Description = ErrorWords.First(e => e.Status == status).Description,
        Content = new Dictionary<string, OpenApiMediaType>
        {
            ["application/problem+json"] = new()
            {
                Schema = new OpenApiSchemaReference(ProblemSchema, document),
                Example = ProblemExample(status),
            },
        },
    };

    private static JsonNode ProblemExample(int status) => status switch
    {
        400 => new JsonObject
        {
            ["type"] = "urn:casehandling:error:validation_failed", ["title"] = "Invalid input", ["status"] = 400,
            ["errors"] = new JsonObject { ["facts"] = new JsonArray("Required.") },
        },
        409 => new JsonObject
        {
            ["type"] = "urn:casehandling:error:invalid_transition", ["title"] = "Step not allowed in the current state", ["status"] = 409,
            ["detail"] = "FileAangifte is not allowed in state OutcomeRecorded.", ["currentState"] = "OutcomeRecorded", ["attempted"] = "FileAangifte",
            ["allowed"] = new JsonArray("InformParties", "RecordInformingImpossible"),
        },
        _ => new JsonObject
        {
            ["type"] = status switch { 404 => "urn:casehandling:error:not_found", 403 => "urn:casehandling:error:forbidden", _ => "about:blank" },
            ["title"] = status switch { 401 => "Unauthorized", 403 => "Forbidden", 404 => "Not found", _ => "Too Many Requests" },
            ["status"] = status,
        },
    };

    private static Task DocumentAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken ct)
    {
        EnsureComponents(document);
        document.Info = new OpenApiInfo
        {
            Title = "CaseHandling API",
            Version = "1",
            Description =
                "The meld-, overleg- en aangifteplicht in Dutch education, and the meld-/steunpunt, as a JSON API. " +
                "The same commands as the staff portal's pages.\n\n" +
                "**Signing in**: `POST /api/auth/login` returns a bearer token for one hour (sign in again after it; no route exchanges the refresh token); `?useCookies=true` sets the " +
                "sign-in cookie instead. With two-factor on, the login needs `twoFactorCode`.\n\n" +
                "**Errors** are RFC 9457 ProblemDetails (`application/problem+json`): 400 names each invalid field in `errors`; 401 not signed in; " +
                "403 not your role's; 404 not found or not yours; 409 out of order (`currentState`, `allowed`) or a concurrent change; 429 rate-limited.\n\n" +
                "**Retries**: every POST and PUT accepts an optional `Idempotency-Key` header (16 to 255 visible characters, e.g. a UUID). A repeat " +
                "with the same key, from the same account, within 24 hours gets the first answer (`Idempotent-Replayed: true`) and changes nothing; " +
                "the same key with another body is 422; a repeat while the first is still running is 409 with `Retry-After`.\n\n" +
                "**Versioning**: this is version 1 (`/openapi/v1.json`). Within a version, changes only add (an operation, an optional field, " +
                "an answer field, an enum value: read unknown enum values as \"other\"). A breaking change comes as a new version beside the old one, " +
                "announced in the release notes at least one release ahead (docs/API.md, \"Versioning and breaking changes\").",
        };
        // The origin this document was fetched from, without a trailing slash (paths start with /api).
        var request = context.ApplicationServices.GetService<IHttpContextAccessor>()?.HttpContext?.Request;
        document.Servers = request is null ? [] :
            [new OpenApiServer { Url = $"{request.Scheme}://{request.Host}{request.PathBase}".TrimEnd('/'), Description = "This server" }];
        document.Tags = new HashSet<OpenApiTag>(Tags.Select(t => new OpenApiTag { Name = t.Key, Description = t.Value }));

        if (document.Components?.Schemas is { } all)
            foreach (var schema in all.Values.OfType<OpenApiSchema>()) NullableReferences(schema, all);

        // Framework schemas that the central error answers replaced.
        if (document.Components?.Schemas is { } schemas)
            foreach (var unused in new[] { "ProblemDetails", "HttpValidationProblemDetails" })
                schemas.Remove(unused);
        return Task.CompletedTask;
    }

    private static void EnsureComponents(OpenApiDocument document)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "The `accessToken` from `POST /api/auth/login` (an opaque token, one hour), as `Authorization: Bearer <token>`.",
        };
        document.Components.SecuritySchemes[CookieScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Cookie,
            Name = CookieName,
            Description = "The sign-in cookie (HttpOnly, SameSite=Strict) from the sign-in page or `POST /api/auth/login?useCookies=true`.",
        };
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        document.Components.Schemas[ProblemSchema] = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = "RFC 9457 ProblemDetails, with this API's extension members.",
            Properties = new Dictionary<string, IOpenApiSchema>
            {
                ["type"] = Text("A URN naming the kind of error, e.g. `urn:casehandling:error:validation_failed`."),
                ["title"] = Text("A short summary of the kind of error."),
                ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Description = "The HTTP status." },
                ["detail"] = Text("What went wrong, without any submitted value."),
                ["instance"] = Text("The request, where given."),
                ["errors"] = new OpenApiSchema
                {
                    Type = JsonSchemaType.Object,
                    Description = "400 only: each invalid field (camelCase, as in the request) with its messages.",
                    AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String } },
                },
                ["currentState"] = Text("409 only: the state the case or report is in now."),
                ["attempted"] = Text("409 only: the step that was refused."),
                ["allowed"] = new OpenApiSchema
                {
                    Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String },
                    Description = "409 only: the steps that may happen next in that state.",
                },
                ["traceId"] = Text("An id to quote when asking about this error."),
            },
        };
    }

    /// <summary>
    /// A nullable reference comes out of the generator as <c>oneOf: [null, $ref]</c>, which OpenAPI 3.0 cannot say in a way
    /// both linters and generators read alike (<c>allOf</c> with <c>nullable</c> makes NSwag derive a class from an enum).
    /// It becomes the plain reference, and the field optional: a generated client then reads it as nullable.
    /// </summary>
    private static void NullableReferences(OpenApiSchema schema, IDictionary<string, IOpenApiSchema> components)
    {
        // An enum is a string (JsonStringEnumConverter): without the type a generator reads it as a number.
        if (schema.Enum is { Count: > 0 } && schema.Type is null) schema.Type = JsonSchemaType.String;
        if (schema.Properties is not { } properties) return;
        foreach (var name in properties.Keys.ToList())
        {
            var property = properties[name];
            if (property is OpenApiSchema { OneOf: { Count: 2 } oneOf }
                && oneOf.OfType<OpenApiSchema>().Any(o => o.Type == JsonSchemaType.Null)
                && oneOf.OfType<OpenApiSchemaReference>().FirstOrDefault() is { } reference)
            {
                properties[name] = reference;
                schema.Required?.Remove(name);
            }
            // A field that may be null may also be left out: the server's validation, not the schema, says which it needs.
            else if (property.Type is { } t && (t & JsonSchemaType.Null) != 0)
                schema.Required?.Remove(name);
            if (property is OpenApiSchema { Items: OpenApiSchema items }) NullableReferences(items, components);
        }
    }

    private static OpenApiSchema Text(string description) => new() { Type = JsonSchemaType.String, Description = description };

    private static readonly ResourceManager EnglishTexts = new("CaseHandling.Server.Infrastructure.Localization.Texts", typeof(OpenApiDocumentation).Assembly);
    private static readonly CultureInfo English = CultureInfo.GetCultureInfo("en");

    private static Task SchemaAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken ct)
    {
        var type = Nullable.GetUnderlyingType(context.JsonTypeInfo.Type) ?? context.JsonTypeInfo.Type;
        // The API reads enums with StrictEnumConverter (Http/StrictEnumConverter.cs), which the schema generator does not
        // know: it leaves an enum's schema empty and an array of enums without items. The names come from here.
        if (type.IsEnum)
        {
            EnumSchema(schema, type);
            // A property with a default value would otherwise hold its enum inline; like every other enum, it is a component.
            if (context.JsonPropertyInfo is not null)
            {
                schema.Metadata ??= new Dictionary<string, object>();
                schema.Metadata.TryAdd("x-schema-id", type.Name);
            }
        }
        if (schema.Items is null && schema.Type is { } array && (array & JsonSchemaType.Array) != 0
            && context.JsonTypeInfo.ElementType is { } element && (Nullable.GetUnderlyingType(element) ?? element) is { IsEnum: true } itemType)
        {
            // "x-schema-id" is how ASP.NET Core's generator marks a schema to be moved into the components and referenced.
            var items = new OpenApiSchema { Metadata = new Dictionary<string, object> { ["x-schema-id"] = itemType.Name } };
            EnumSchema(items, itemType);
            schema.Items = items;
        }

        // Numbers are read from strings too (JSON web defaults), but a client should send numbers: document them as such.
        if (schema.Type is { } t && (t & (JsonSchemaType.Integer | JsonSchemaType.Number)) != 0 && (t & JsonSchemaType.String) != 0)
        {
            schema.Type = t & ~JsonSchemaType.String;
            schema.Pattern = null;
        }

        // Fields the route or a header fills are not part of the body.
        if (context.JsonPropertyInfo is null && schema.Properties is { Count: > 0 })
            foreach (var property in context.JsonTypeInfo.Properties)
                if (property.AttributeProvider?.IsDefined(typeof(FromRouteOrHeaderAttribute), inherit: true) == true)
                {
                    schema.Properties.Remove(property.Name);
                    schema.Required?.Remove(property.Name);
                }

        // `example` is what OpenAPI 3.0 has (the library marks it obsolete in favour of 3.1's `examples`).
#pragma warning disable CS0618
        if (context.JsonPropertyInfo is null && context.ApplicationServices.GetService<IApiExamples>()?.For(type) is { } example) schema.Example = example;
#pragma warning restore CS0618
        return Task.CompletedTask;
    }

    /// <summary>An enum is a string, one of its wire names; a [Flags] enum a string of names (it is sent as an array).</summary>
    private static void EnumSchema(OpenApiSchema schema, Type type)
    {
        schema.Type ??= JsonSchemaType.String;
        if (type.IsDefined(typeof(FlagsAttribute))) return;
        if (schema.Enum is not { Count: > 0 })
            schema.Enum = type.GetFields(BindingFlags.Public | BindingFlags.Static)
                .Select(f => (JsonNode)JsonValue.Create(f.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name ?? f.Name))
                .ToList();
        DescribeEnum(schema, type);
    }

    /// <summary>Each value with its meaning, from the English texts the pages show (enum.&lt;Type&gt;.&lt;Value&gt;).</summary>
    private static void DescribeEnum(OpenApiSchema schema, Type type)
    {
        var lines = new List<string>();
        foreach (var field in type.GetFields(BindingFlags.Public | BindingFlags.Static))
        {
            var wire = field.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name ?? field.Name;
            var meaning = EnglishTexts.GetString($"enum.{type.Name}.{field.Name}", English);
            lines.Add(meaning is null ? $"- `{wire}`" : $"- `{wire}`: {meaning}");
        }
        schema.Description = $"One of (an unknown value may be added in a later release: read it as \"other\"):\n{string.Join("\n", lines)}";
        // The value list itself never holds null: a nullable use says so where it is used.
        if (schema.Enum is { } values)
            foreach (var n in values.Where(v => v is null).ToList()) values.Remove(n);
        schema.Type ??= JsonSchemaType.String;
    }
}
