using System.Text.Json.Serialization;

namespace Firecrawl.Client;

/// <summary>
/// Every field the cancel routes are known to send, success or failure, across server versions and the docs page.
/// Unknown fields are ignored, so a new server field never breaks parsing.
/// </summary>
internal sealed class CancelResponseBody
{
    [JsonPropertyName("success")]
    public bool? Success { get; set; }

    [JsonPropertyName("status")]
    public string? Status { get; set; }

    [JsonPropertyName("message")]
    public string? Message { get; set; }

    [JsonPropertyName("error")]
    public string? Error { get; set; }
}
