using System.Text;
using System.Text.Json;
using Firecrawl.Client;

namespace Firecrawl.Cli;

/// <summary>The <c>--json</c> shapes, written with Utf8JsonWriter so the output needs no reflection.</summary>
internal static class JsonOutput
{
    public static string Error(Exception error, int exitCode) => Object(writer => WriteError(writer, error, exitCode));

    /// <summary>A single cancel's result.</summary>
    public static string Result(CancelJobResult result, JobKind kind) =>
        Object(writer => WriteResult(writer, result.JobId, kind, result.Outcome, result.Message));

    /// <summary>One job of a bulk cancel: the single-job result's fields, or its error object under the job's id.</summary>
    public static string Job(JobCancellation job, JobKind kind, int exitCode) => Object(writer =>
    {
        if (job.Outcome is { } outcome)
        {
            WriteResult(writer, job.JobId, kind, outcome, job.Message);
        }
        else
        {
            WriteKind(writer, job.JobId, kind);
            WriteError(writer, job.Error!, exitCode);
        }
    });

    /// <summary>The fields of a result, the same for one job and for each job of many, so scripts read both alike.</summary>
    private static void WriteResult(Utf8JsonWriter writer, string jobId, JobKind kind, CancelOutcome outcome, string? message)
    {
        WriteKind(writer, jobId, kind);
        writer.WriteString("outcome", outcome == CancelOutcome.Cancelled ? "cancelled" : "already-completed");
        writer.WriteString("message", message);
    }

    /// <summary>
    /// The job's id and kind. An id longer than any the client sends is not one: it is written cut to its start, with
    /// <c>jobIdLength</c>, so one line of garbage in the input cannot make a megabyte of output.
    /// </summary>
    public static void WriteKind(Utf8JsonWriter writer, string jobId, JobKind kind)
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

        writer.WriteString("kind", kind.Command);
    }

    /// <summary>The last line of a bulk cancel in <c>--json</c> mode.</summary>
    public static string Summary(int total, BulkCancelResult result) => Object(writer =>
    {
        writer.WriteStartObject("summary");
        writer.WriteNumber("total", total);
        writer.WriteNumber("cancelled", result.Cancelled);
        writer.WriteNumber("alreadyCompleted", result.AlreadyCompleted);
        writer.WriteNumber("failed", result.Failed);
        writer.WriteNumber("notSent", total - result.Jobs.Count);
        writer.WriteBoolean("interrupted", result.Interrupted);
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
