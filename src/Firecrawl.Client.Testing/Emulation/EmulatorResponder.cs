using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Firecrawl.Client.Testing;

/// <summary>
/// The server's middleware chain, in its order: the JSON body parser, then CORS, then the route's auth, rate limiter
/// and controller; Express's 404 for any route it does not have. Each stage lives in its own type.
/// </summary>
internal sealed class EmulatorResponder
{
    private readonly KeyAuthenticator _auth;

    public EmulatorResponder(FirecrawlEmulatorOptions options)
    {
        Profile = EmulatorProfile.For(options.Profile);
        Routes = EmulatorRoutes.For(Profile);
        _auth = new KeyAuthenticator(options);
        Limiter = new RateLimiter(options);
        Endpoints = new FirecrawlEndpoints(options, Profile, Jobs);
    }

    public EmulatorProfile Profile { get; }

    /// <summary>The routes of the build the emulator answers like.</summary>
    public EmulatorRoutes Routes { get; }

    public JobStore Jobs { get; } = new();

    public RateLimiter Limiter { get; }

    public FirecrawlEndpoints Endpoints { get; }

    public KeyAuthenticator Auth => _auth;

    /// <summary>Where links in answers point when a request names no host; set once the server listens.</summary>
    public Uri BaseAddress { get; set; } = null!;

    public async Task AnswerAsync(HttpContext context, EmulatorRoute route, string rawTarget, EmulatorFault? shaping)
    {
        HttpRequest request = context.Request;
        (ExpressBodyParser.Verdict verdict, JsonDocument? body) = await ExpressBodyParser.ReadAsync(request, context.RequestAborted).ConfigureAwait(false);
        using (body)
        {
            if (verdict != ExpressBodyParser.Verdict.Parsed)
            {
                // The parsers run before the cors middleware, so their errors reach the server's error handler without
                // Access-Control-Allow-Origin: a SyntaxError is its 400, anything else its last branch, a 500.
                byte[] refused = verdict == ExpressBodyParser.Verdict.Malformed
                    ? Express.Json(context.Response, 400, """{"success":false,"code":"BAD_REQUEST_INVALID_JSON","error":"Bad request, malformed JSON"}""", cors: false)
                    : Express.Json(context.Response, 500, ErrorBodies.UnknownError(Profile.ExceptionId()), cors: false);
                await FaultWriter.WriteBodyAsync(context, refused, shaping).ConfigureAwait(false);
                await ExpressBodyParser.DiscardRestAsync(request, context.RequestAborted).ConfigureAwait(false);
                return;
            }

            if (HttpMethods.IsOptions(request.Method) && request.Headers.ContainsKey("Origin") && request.Headers.ContainsKey("Access-Control-Request-Method"))
            {
                Express.WritePreflight(context);
                return;
            }

            EmulatorAnswer answer = route.Endpoint is { } endpoint ? Answer(request, route, endpoint, body) : new EmulatorAnswer(404, string.Empty, NotFoundPage: true);
            byte[] bytes = answer.NotFoundPage
                ? Express.NotFound(context.Response, request.Method, rawTarget)
                : Express.Json(context.Response, answer.Status, answer.Body);
            await FaultWriter.WriteBodyAsync(context, bytes, shaping).ConfigureAwait(false);
        }
    }

    private EmulatorAnswer Answer(HttpRequest request, EmulatorRoute route, EmulatorEndpoint endpoint, JsonDocument? body)
    {
        if (_auth.Authenticate(request) is not { } team)
        {
            return KeyAuthenticator.Unauthorized(request);
        }

        if (Limiter.Check(team, route) is { } limited)
        {
            return limited;
        }

        return endpoint switch
        {
            EmulatorEndpoint.Create => Endpoints.Create(route, team, body, Origin(request)),
            EmulatorEndpoint.Status => Endpoints.Status(route, team, Origin(request)),
            EmulatorEndpoint.ActiveCrawls => Endpoints.ActiveCrawls(team),
            _ => Endpoints.Cancel(route, team),
        };
    }

    /// <summary>The scheme and host the client used, as the server's <c>req.get("host")</c> links do; ours without a Host.</summary>
    private string Origin(HttpRequest request) =>
        request.Host.HasValue ? $"{request.Scheme}://{request.Host.Value}" : BaseAddress.AbsoluteUri.TrimEnd('/');
}
