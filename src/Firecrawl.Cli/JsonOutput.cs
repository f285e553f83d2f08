using System.Text;
using System.Text.Json;
using Firecrawl.Client;

namespace Firecrawl.Cli;

/// <summary>The <c>--json</c> shapes, written with Utf8JsonWriter so the output needs no reflection.</summary>
internal static class JsonOutput
{
    public static string Error(Exception error, int exitCode) => Object(writer =>
    {
        writer.WriteStartObject("error");
        writer.WriteString("type", error.GetType().Name);
        writer.WriteNumber("exitCode", exitCode);
        writer.WriteString("message", error.Message);
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
    });

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
