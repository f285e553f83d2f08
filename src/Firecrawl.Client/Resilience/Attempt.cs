using System.Net;

namespace Firecrawl.Client;

/// <summary>
/// One attempt, the same three steps every time: admission (the call's budget, then the shared rate-limit gate), the
/// attempt's deadline (the shorter of <see cref="FirecrawlClientOptions.AttemptTimeout"/> and the budget left), then
/// the send and the body read, bounded by the operation's bound for the answer's status.
/// </summary>
internal sealed class Attempt(ClientRuntime runtime, RetryRules rules)
{
    private readonly ClientRuntime _runtime = runtime;
    private readonly RetryRules _rules = rules;

    /// <summary>
    /// One attempt: admission, the send under its deadline, and the bounded body read, in one async method so that a
    /// call over real sockets boxes as few state machines as it can. <paramref name="disposal"/> is the client's
    /// disposal token, for the gate wait, when <paramref name="cancellationToken"/> does not already carry it.
    /// </summary>
    public async ValueTask<AttemptResponse> RunAsync(
        FirecrawlOperation operation, IFirecrawlApi api, string id, CallState call, CancellationToken cancellationToken, CancellationToken disposal)
    {
        cancellationToken.ThrowIfCancellationRequested();
        TimeSpan left = BudgetLeftOrThrow(call);
        // The gate this attempt entered, told how it ended: the client's gate, or the stand-in while a gate of the user's throws.
        FirecrawlRateLimitGate gate = _runtime.Gate;
        FirecrawlGateEntry entry;
        try
        {
            entry = await gate.EnterAsync(call.Partition, cancellationToken).ConfigureAwait(false);
            _runtime.GateAnswered(GateMember.EnterAsync);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            gate = _runtime.GateFailed(GateMember.EnterAsync, exception);
            entry = await gate.EnterAsync(call.Partition, cancellationToken).ConfigureAwait(false);
        }

        if (!entry.Entered)
        {
            (entry, gate) = await WaitAtGateAsync(entry, gate, operation, id, call, cancellationToken, disposal).ConfigureAwait(false);
            left = BudgetLeftOrThrow(call);
        }

        (TimeSpan limit, bool isBudget) = _rules.AttemptLimit(left);

        // One timer per attempt, linked to the caller's token; none when neither limit is set.
        CancellationTokenSource? deadline = null;
        CancellationTokenRegistration link = default;
        CancellationToken token = cancellationToken;
        if (limit != Timeout.InfiniteTimeSpan)
        {
            deadline = _runtime.Deadlines.Rent(limit);
            link = cancellationToken.CanBeCanceled
                ? cancellationToken.UnsafeRegister(static s => ((CancellationTokenSource)s!).Cancel(), deadline)
                : default;
            token = deadline.Token;
        }

        HttpResponseMessage? response = null;
        FirecrawlGateOutcome outcome = default;
        try
        {
            response = await call.Route.Send(api, id, token).ConfigureAwait(false);
            HttpContent content = response.Content;
            ResponseBody.Sink sink = ResponseBody.CreateSink(operation.MaxBodyBytesFor(response.StatusCode));
            try
            {
                await content.CopyToAsync(sink, token).ConfigureAwait(false);
            }
            catch (ResponseBody.Sink.FullException)
            {
                // The rest of a hostile body is never read; disposing the content drops the connection.
            }
            catch
            {
                sink.Dispose();
                throw;
            }

            ResponseBody body = sink.Complete(content);

            // A success names no wait; only an error answer is searched for one.
            ServerHint? hint = response.IsSuccessStatusCode ? null : RetryHint.Read(response, body.Span, _runtime.Clock, _runtime.Configuration.Jitter());
            bool limited = response.StatusCode == HttpStatusCode.TooManyRequests;
            outcome = new FirecrawlGateOutcome
            {
                Answered = true,
                RateLimited = limited,
                RetryAfter = limited ? hint?.Wait : null,
                NamedWait = limited ? hint?.Named : null,
                Consumed = limited ? RetryHint.Consumed(body.Span) : null,
            };
            return new AttemptResponse(response, body, hint);
        }
        catch (Exception exception)
        {
            response?.Dispose();
            if (MayHaveBeenSent(exception))
            {
                call.MayHaveReachedServer = true;
            }

            if (deadline is not null && deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested
                && exception is OperationCanceledException or HttpRequestException or IOException)
            {
                throw isBudget
                    ? new TotalTimeoutException(_runtime.Configuration.TotalTimeout, exception)
                    : new AttemptTimeoutException(limit, exception);
            }

            throw;
        }
        finally
        {
            if (deadline is not null)
            {
                link.Dispose();
                _runtime.Deadlines.Return(deadline);
            }

            await LeaveAsync(gate, entry, outcome, call.Partition).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Whether a failure may have come after the request reached the server: anything but a connection that was never
    /// made (refused, no such host, a failed TLS handshake or proxy tunnel), or the caller's or the client's own
    /// cancellation before a deadline.
    /// </summary>
    private static bool MayHaveBeenSent(Exception exception) => exception switch
    {
        HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError
            or HttpRequestError.SecureConnectionError or HttpRequestError.ProxyTunnelError or HttpRequestError.UserAuthenticationError } => false,
        HttpRequestException or IOException or OperationCanceledException => true,
        _ => false,
    };

    /// <summary>
    /// Tells the gate the attempt entered how it ended; a gate that throws is not the attempt's failure. A gate that has
    /// already finished (the in-process one always has) costs no state machine.
    /// </summary>
    private ValueTask LeaveAsync(FirecrawlRateLimitGate gate, FirecrawlGateEntry entry, FirecrawlGateOutcome outcome, FirecrawlGatePartition partition)
    {
        ValueTask leaving;
        try
        {
            leaving = gate.LeaveAsync(partition, entry, outcome, CancellationToken.None);
            if (leaving.IsCompletedSuccessfully)
            {
                leaving.GetAwaiter().GetResult();
                Left(gate);
                return default;
            }
        }
        catch (Exception exception)
        {
            _runtime.GateFailed(GateMember.LeaveAsync, exception);
            return default;
        }

        return AwaitLeaveAsync(leaving, gate);
    }

    private async ValueTask AwaitLeaveAsync(ValueTask leaving, FirecrawlRateLimitGate gate)
    {
        try
        {
            await leaving.ConfigureAwait(false);
            Left(gate);
        }
        catch (Exception exception)
        {
            _runtime.GateFailed(GateMember.LeaveAsync, exception);
        }
    }

    /// <summary>The user's gate answered; the stand-in's answers say nothing about it.</summary>
    private void Left(FirecrawlRateLimitGate gate)
    {
        if (!ReferenceEquals(gate, _runtime.StandInIfMade))
        {
            _runtime.GateAnswered(GateMember.LeaveAsync);
        }
    }

    /// <summary>
    /// Waits as long as the gate says, asking again after each wait, until it lets the attempt go. A wait longer than this
    /// call may wait (<see cref="ClientRuntime.LongestGateWait"/>, or its time left) ends the call at once instead. Kept
    /// apart from <see cref="RunAsync"/>, whose success path never waits.
    /// </summary>
    private async ValueTask<(FirecrawlGateEntry Entry, FirecrawlRateLimitGate Gate)> WaitAtGateAsync(
        FirecrawlGateEntry entry, FirecrawlRateLimitGate gate, FirecrawlOperation operation, string id, CallState call, CancellationToken cancellationToken, CancellationToken disposal)
    {
        using var waits = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, disposal);
        while (!entry.Entered)
        {
            TimeSpan left = BudgetLeftOrThrow(call);
            TimeSpan wait = entry.Wait;
            if (wait > _runtime.LongestGateWait || wait > left)
            {
                throw RetryRules.GateRefusal(wait);
            }

            if (wait >= LoggedGateWait)
            {
                FirecrawlLog.RateLimitGateWait(_runtime.Logger, wait.TotalMilliseconds);
            }

            if (_runtime.ObservesWaits)
            {
                _runtime.Waiting(new FirecrawlWait { Reason = FirecrawlWaitReason.RateLimit, Delay = wait, Operation = operation.Name, JobId = operation.TakesJobId ? id : null });
            }

            await Task.Delay(wait, _runtime.Clock, waits.Token).ConfigureAwait(false);
            try
            {
                entry = await gate.EnterAsync(call.Partition, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
            {
                gate = _runtime.GateFailed(GateMember.EnterAsync, exception);
                entry = await gate.EnterAsync(call.Partition, cancellationToken).ConfigureAwait(false);
            }
        }

        return (entry, gate);
    }

    /// <summary>Shorter gate waits (a gate asking again soon) are not logged, so a busy fleet does not flood the log.</summary>
    private static readonly TimeSpan LoggedGateWait = TimeSpan.FromMilliseconds(100);

    /// <summary>What is left of the call's budget; a budget that ran out during a wait is the total timeout it is.</summary>
    private TimeSpan BudgetLeftOrThrow(CallState call)
    {
        TimeSpan left = _runtime.RemainingBudget(call.Started);
        return left > TimeSpan.Zero ? left : throw new TotalTimeoutException(_runtime.Configuration.TotalTimeout);
    }
}
