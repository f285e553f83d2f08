namespace Firecrawl.Client;

/// <summary>
/// Knows the client's secrets (the API key and the values of <see cref="FirecrawlClientOptions.DefaultHeaders"/>) and
/// blanks them out of any text that came from outside: a server or proxy may echo a request back, key included, in a
/// body, a header, a reason phrase or an error the transport raises about what it received. It is applied where such
/// text becomes an error, a message or a log value (see <see cref="ServerText"/>), so nothing downstream can surface it
/// raw.
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
        // Plain loops rather than LINQ: this runs as every client is built, and in a fresh process LINQ's generic
        // instantiations cost more JIT time than the work itself.
        var secrets = new List<string>();
        if (apiKey is not null)
        {
            // The key alone, and the whole header value, so "Bearer fc-..." goes as one piece.
            secrets.Add("Bearer " + apiKey);
            secrets.Add(apiKey);
        }

        foreach (string value in headerValues)
        {
            string trimmed = value.Trim();
            if (trimmed.Length >= MinSecretLength && !secrets.Contains(trimmed))
            {
                secrets.Add(trimmed);
            }
        }

        // Longest first, so a secret that contains another is masked whole (two of one length cannot contain each other).
        _secrets = [.. secrets];
        Array.Sort(_secrets, static (a, b) => b.Length.CompareTo(a.Length));
    }

    /// <summary>A redactor with nothing to hide: a keyless client with no header values.</summary>
    public static SecretRedactor None { get; } = new(null, []);

    /// <summary>
    /// The text with every secret masked; the same instance when there was nothing to mask. A secret is found however it
    /// is written (<see cref="SecretText"/>): in another letter case, percent-encoded (<c>fc%2D...</c>), as a JSON or HTML
    /// escape. Only what the secret covers is masked; the rest of the text is shown as it came.
    /// </summary>
    public string Redact(string text) => SecretText.Mask(text, _secrets, Mask);

    /// <inheritdoc cref="Redact(string)"/>
    public string? RedactOrNull(string? text) => text is null ? null : Redact(text);

    /// <summary>The lines of one header, joined as HTTP joins them, masked, a secret split across several values included.</summary>
    public string RedactHeader(IReadOnlyList<string> lines) => string.Join(", ", SecretText.MaskHeader(lines, _secrets, Mask));

    /// <summary>Whether <paramref name="text"/> holds a secret, however written.</summary>
    public bool Holds(string text) => SecretText.Holds(text, _secrets);

    /// <summary>
    /// <paramref name="exception"/> itself when no message in its chain holds a secret; otherwise a copy of the chain with
    /// every message masked, of the same type where the type is one the transport raises (its stack trace is lost).
    /// An exception's message can quote what a server sent: .NET's HTTP stack quotes an invalid status line or header.
    /// </summary>
    public Exception Scrub(Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            if (Holds(e.Message))
            {
                return Copy(exception);
            }
        }

        return exception;
    }

    private Exception Copy(Exception exception)
    {
        Exception? inner = exception.InnerException is { } cause ? Copy(cause) : null;
        string message = Redact(exception.Message);
        return exception switch
        {
            HttpRequestException http => new HttpRequestException(http.HttpRequestError, message, inner, http.StatusCode),
            OperationCanceledException cancelled => new OperationCanceledException(message, inner, cancelled.CancellationToken),
            IOException => new IOException(message, inner),
            _ => new RedactedException(exception.GetType(), message, inner),
        };
    }
}

/// <summary>Stands in for an exception whose message held a secret, and names the type it replaced.</summary>
internal sealed class RedactedException(Type original, string message, Exception? inner)
    : Exception($"{original.FullName}: {message}", inner)
{
    public Type OriginalType { get; } = original;
}
