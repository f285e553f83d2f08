using System.Net;
using System.Text.Json;

namespace Firecrawl.Client;

/// <summary>
/// A cancel of one kind of job, following the server's real behaviour rather than the docs page: success is
/// <c>status == "cancelled"</c> or <c>success == true</c>, and the kind's refusals that still mean the job is not
/// running (a 409 "already completed", an agent's "already finished" or "already cancelled") are results. Kinds differ
/// only in their description (<see cref="FirecrawlJobKind"/>), never in a branch here.
/// </summary>
internal sealed class CancelOperation(FirecrawlJobKind kind)
    : FirecrawlOperation<CancelJobResult>("Cancel" + kind.OperationName, kind.Noun, kind.RateLimitBucket, kind.CancelRoutes, MaxCancelBodyBytes)
{
    /// <summary>A cancel's answer is a few dozen bytes; 64 KiB leaves room for any proxy's page without reading more.</summary>
    public const int MaxCancelBodyBytes = 64 * 1024;

    /// <summary>The kind of job it cancels.</summary>
    public FirecrawlJobKind Kind { get; } = kind;

    public override string Verb => "Cancelling";

    public override CancelJobResult MapSuccess(AttemptResponse response, string id, CallState call, ClientRuntime runtime)
    {
        HttpStatusCode status = response.StatusCode;
        ResponseBody body = response.Body;
        if (body.Truncated)
        {
            throw BodyTooLarge(response, id, call, runtime, "is not a cancel response");
        }

        CancelResponseBody parsed;
        try
        {
            parsed = CancelResponseBody.Parse(body.Span);
        }
        catch (JsonException exception)
        {
            throw UnreadableBody(response, id, call, runtime, "a cancel response", exception);
        }

        if (parsed.StatusIsCancelled || parsed.Success == true)
        {
            return Kind.CreateResult(id, CancelOutcome.Cancelled, runtime.Redactor.RedactOrNull(parsed.Message));
        }

        FirecrawlError error = response.ServerError(runtime.Redactor);
        throw new FirecrawlApiException(
            status,
            error,
            $"{DescribeFailure(id, call)}the server answered {(int)status} without confirming the cancel: {error.Message}",
            innerException: null);
    }

    public override string OutcomeTag(CancelJobResult result) => result.Outcome == CancelOutcome.Cancelled ? "cancelled" : "already_completed";

    public override string OutcomeName(CancelJobResult result) => result.Outcome == CancelOutcome.Cancelled ? nameof(CancelOutcome.Cancelled) : nameof(CancelOutcome.AlreadyCompleted);

    /// <summary>
    /// A job whose status reads cancelled was cancelled (by this call's lost attempt or before it); one that ended another
    /// way had nothing left to cancel; one still running leaves the failure standing.
    /// </summary>
    public override StatusLookup<CancelJobResult> LookupAfterFailure => _lookup ??= new StatusLookup<CancelJobResult>(
        Kind.StatusOperation,
        status => status.State switch
        {
            FirecrawlJobState.Cancelled => Kind.CreateResult(status.JobId, CancelOutcome.Cancelled, null) with { ConfirmedByStatusRead = true },
            FirecrawlJobState.Completed or FirecrawlJobState.Failed => Kind.CreateResult(status.JobId, CancelOutcome.AlreadyCompleted, null) with { ConfirmedByStatusRead = true },
            _ => null,
        });

    private StatusLookup<CancelJobResult>? _lookup;

    public override bool TryMapFailure(HttpStatusCode status, FirecrawlError error, string id, out CancelJobResult result)
    {
        if (Kind.OutcomeOfRefusal(status, error.Message) is { } outcome)
        {
            result = Kind.CreateResult(id, outcome, error.Message);
            return true;
        }

        result = default!;
        return false;
    }
}
