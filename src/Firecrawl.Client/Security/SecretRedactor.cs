namespace Firecrawl.Client;

/// <summary>
/// Knows the client's secrets (the API key and the values of <see cref="FirecrawlClientOptions.DefaultHeaders"/>) and
/// blanks them out of any text that came from outside: a server or proxy may echo a request back, key included. It is
/// applied where such text becomes an error, a message or a log value, so nothing downstream can surface it raw.
/// </summary>
internal sealed class SecretRedactor
{
    /// <summary>What a secret is replaced with.</summary>
    public const string Mask = "[REDACTED]";

    /// <summary>Shorter header values are not treated as secrets: masking "1" or "en" would garble every message.</summary>
    public const int MinSecretLength = 6;

    private readonly string[] _secrets;

    public SecretRedactor(string? apiKey, IEnumerable<string> headerValues)
    {
        IEnumerable<string> candidates = headerValues.Where(static v => v.Trim().Length >= MinSecretLength).Select(static v => v.Trim());
        if (apiKey is not null)
        {
            // The key alone, and the whole header value, so "Bearer fc-..." goes as one piece.
            candidates = candidates.Prepend(apiKey).Prepend("Bearer " + apiKey);
        }

        // Longest first, so a secret that contains another is masked whole.
        _secrets = candidates.Distinct(StringComparer.Ordinal).OrderByDescending(static s => s.Length).ToArray();
    }

    /// <summary>A redactor with nothing to hide: a keyless client with no header values.</summary>
    public static SecretRedactor None { get; } = new(null, []);

    /// <summary>The text with every secret masked; the same instance when there was nothing to mask.</summary>
    public string Redact(string text)
    {
        foreach (string secret in _secrets)
        {
            if (text.Contains(secret, StringComparison.Ordinal))
            {
                text = text.Replace(secret, Mask, StringComparison.Ordinal);
            }
        }

        return text;
    }

    /// <inheritdoc cref="Redact(string)"/>
    public string? RedactOrNull(string? text) => text is null ? null : Redact(text);
}
