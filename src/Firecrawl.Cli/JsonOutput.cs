using System.Text;
using System.Text.Json;
using Firecrawl.Client;

namespace Firecrawl.Cli;

/// <summary>The <c>--json</c> shapes, written with Utf8JsonWriter so the output needs no reflection.</summary>
internal static class JsonOutput
{
    public static string Error(Exception error, int exitCode) => Object(writer => WriteError(writer, error, exitCode));

    /// <summary>A single cancel's result.</summary>
    public static string Result(CancelJobResult result, FirecrawlJobKind kind, JobWaitUntil waitUntil) =>
        Object(writer => WriteResult(writer, result.JobId, kind, result.Outcome, result.Message, result.ConfirmedByStatusRead, waitUntil, result.Settlement));

    /// <summary>One job of a bulk cancel: the single-job result's fields, or its error object under the job's id.</summary>
    public static string Job(JobCancellation job, FirecrawlJobKind kind, int exitCode, JobWaitUntil waitUntil) => Object(writer =>
    {
        if (job.Outcome is { } outcome)
        {
            WriteResult(writer, job.JobId, kind, outcome, job.Message, job.ConfirmedByStatusRead, waitUntil, job.Settlement);
        }
        else
        {
            WriteKind(writer, job.JobId, kind);
            WriteError(writer, job.Error!, exitCode);
        }
    });

    /// <summary>
    /// The fields of a result, the same for one job and for each job of many, so scripts read both alike. With
    /// <c>--wait</c>, <c>settled</c> holds what the job came to, or is <see langword="null"/> with <c>settleReason</c>.
    /// </summary>
    private static void WriteResult(
        Utf8JsonWriter writer, string jobId, FirecrawlJobKind kind, CancelOutcome outcome, string? message, bool confirmed, JobWaitUntil waitUntil, JobSettlement? settlement)
    {
        WriteKind(writer, jobId, kind);
        writer.WriteString("outcome", outcome == CancelOutcome.Cancelled ? "cancelled" : "already-completed");
        writer.WriteString("message", message);
        writer.WriteBoolean("confirmedByStatusRead", confirmed);
        if (waitUntil != JobWaitUntil.Settled)
        {
            return;
        }

        if (settlement is { Settled: true, Status: { } status })
        {
            writer.WriteStartObject("settled");
            writer.WriteString("status", status.Status);
            WriteCount(writer, "completed", status.Completed);
            WriteCount(writer, "creditsUsed", status.CreditsUsed);
            writer.WriteNumber("seconds", Math.Round(settlement.Elapsed.TotalSeconds, 3));
            writer.WriteEndObject();
        }
        else
        {
            writer.WriteNull("settled");
            writer.WriteString("settleReason", settlement?.Reason ?? "the wait was stopped before the job settled");
        }
    }

    private static void WriteCount(Utf8JsonWriter writer, string name, int? count)
    {
        if (count is { } value)
        {
            writer.WriteNumber(name, value);
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    /// <summary>
    /// The job's id and kind. An id longer than any the client sends is not one: it is written cut to its start, with
    /// <c>jobIdLength</c>, so one line of garbage in the input cannot make a megabyte of output.
    /// </summary>
    public static void WriteKind(Utf8JsonWriter writer, string jobId, FirecrawlJobKind kind)
    {
        if (jobId.Length > JobIdValidator.MaxLength)
        {
            writer.WriteString("jobId", jobId[..InputText.MaxQuoted] + "…");
            writer.WriteNumber("jobIdLength", jobId.Length);
        }
        else
        {
            writer.WriteString("jobId", jobId);
        }

        writer.WriteString("kind", kind.Name);
    }

    /// <summary>
    /// The last line of a bulk cancel in <c>--json</c> mode. <c>notSent</c> is null when an interrupted run read its ids
    /// from standard input, which is not read on to count them.
    /// </summary>
    public static string Summary(int total, OutcomeTally tally, int? notSent, bool interrupted, bool waited) => Object(writer =>
    {
        writer.WriteStartObject("summary");
        writer.WriteNumber("total", total);
        writer.WriteNumber("cancelled", tally.Cancelled);
        writer.WriteNumber("alreadyCompleted", tally.AlreadyCompleted);
        writer.WriteNumber("failed", tally.Failed);
        WriteCount(writer, "notSent", notSent);
        writer.WriteBoolean("interrupted", interrupted);
        if (waited)
        {
            writer.WriteNumber("notSettled", tally.NotSettled);
            if (tally.CreditsKnown)
            {
                writer.WriteNumber("creditsUsed", tally.CreditsUsed);
            }
            else
            {
                writer.WriteNull("creditsUsed");
            }
        }

        writer.WriteEndObject();
    });

    private static void WriteError(Utf8JsonWriter writer, Exception error, int exitCode)
    {
        writer.WriteStartObject("error");
        writer.WriteString("type", error.GetType().Name);
        writer.WriteNumber("exitCode", exitCode);
        writer.WriteString("message", CliText.Message(error));
        if (error is FirecrawlApiException api)
        {
            writer.WriteNumber("status", (int)api.StatusCode);
            writer.WriteString("serverMessage", api.Error.Message);
            writer.WriteString("code", api.Error.Code);
            writer.WriteString("exceptionId", api.Error.ExceptionId);
        }

        if (error is FirecrawlApiException { RetryAfter: { } wait })
        {
            writer.WriteNumber("retryAfterSeconds", wait.TotalSeconds);
        }

        writer.WriteEndObject();
    }

    public static string Object(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            write(writer);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
