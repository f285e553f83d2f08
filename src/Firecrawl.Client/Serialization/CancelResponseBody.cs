using System.Text.Json;

namespace Firecrawl.Client;

/// <summary>
/// The fields of a 2xx cancel answer, across server versions and the docs page, read straight off the bytes with
/// <see cref="Utf8JsonReader"/>: no serializer metadata to build on a process's first call, no string for the common
/// <c>"status":"cancelled"</c>. Unknown fields are skipped, so a new server field never breaks parsing; a body that is
/// not a JSON object, or a field of the wrong type, is a <see cref="JsonException"/>, as the serializer would throw.
/// </summary>
internal readonly record struct CancelResponseBody(bool? Success, bool StatusIsCancelled, string? Message)
{
    public static CancelResponseBody Parse(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("A cancel answer is a JSON object.");
        }

        bool? success = null;
        bool cancelled = false;
        string? message = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("success"u8))
            {
                reader.Read();
                success = reader.TokenType switch
                {
                    JsonTokenType.True => true,
                    JsonTokenType.False => false,
                    JsonTokenType.Null => null,
                    _ => throw new JsonException("'success' is not a boolean."),
                };
            }
            else if (reader.ValueTextEquals("status"u8))
            {
                reader.Read();
                cancelled = reader.TokenType == JsonTokenType.String
                    && (reader.ValueTextEquals("cancelled"u8) || string.Equals(reader.GetString(), "cancelled", StringComparison.OrdinalIgnoreCase));
                reader.Skip();
            }
            else if (reader.ValueTextEquals("message"u8))
            {
                reader.Read();
                message = reader.TokenType switch
                {
                    JsonTokenType.String => reader.GetString(),
                    JsonTokenType.Null => null,
                    _ => throw new JsonException("'message' is not a string."),
                };
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        // Anything after the object (a second value) makes the body something other than one cancel answer.
        if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
        {
            throw new JsonException("A cancel answer is one JSON object.");
        }

        return new CancelResponseBody(success, cancelled, message);
    }
}
