using System.Text.Json;
using System.Text.Json.Serialization;

namespace Firecrawl.Client;

/// <summary>
/// The fields of a 2xx cancel answer, across server versions and the docs page. A struct, and a status read as a
/// flag rather than a string, so parsing the common <c>{"status":"cancelled"}</c> allocates nothing. Unknown fields
/// are ignored, so a new server field never breaks parsing.
/// </summary>
internal struct CancelResponseBody
{
    [JsonPropertyName("success")]
    public bool? Success { get; set; }

    [JsonPropertyName("status")]
    [JsonConverter(typeof(CancelledStatusConverter))]
    public bool StatusIsCancelled { get; set; }

    [JsonPropertyName("message")]
    public string? Message { get; set; }
}

/// <summary>Reads <c>"status"</c> as "is it cancelled?", comparing the UTF-8 bytes instead of allocating the string.</summary>
internal sealed class CancelledStatusConverter : JsonConverter<bool>
{
    public override bool Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            reader.Skip();
            return false;
        }

        return reader.ValueTextEquals("cancelled"u8)
            || string.Equals(reader.GetString(), "cancelled", StringComparison.OrdinalIgnoreCase);
    }

    public override void Write(Utf8JsonWriter writer, bool value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value ? "cancelled" : null);
}
