namespace Firecrawl.Client;

/// <summary>
/// A job id must be exactly one path segment. Refit escapes <c>/ ? #</c>, but <c>.</c> and <c>..</c> survive escaping
/// and are collapsed by <see cref="Uri"/>, which would send the DELETE to another route; so those, and anything that
/// can only be a mistake, are refused before a request is made. UUID versions are not checked: ids are v4 or v7. Each
/// message quotes the id bounded (<see cref="InputText"/>): a line of garbage from a file is shown as its start and its
/// length, never echoed whole.
/// </summary>
internal static class JobIdValidator
{
    /// <summary>
    /// The longest id sent. Firecrawl's ids are UUIDs, 36 characters; a longer one is never a job id, and far longer
    /// ones would be refused by the server or a proxy in front of it for the length of the request line.
    /// </summary>
    public const int MaxLength = 256;

    public static void ThrowIfInvalid(string id, string paramName = "id")
    {
        ArgumentNullException.ThrowIfNull(id, paramName);
        if (Problem(id) is { } problem)
        {
            throw new ArgumentException(problem, paramName);
        }
    }

    /// <summary>What is wrong with the id, in a sentence that starts with "The job id"; null when it can be sent.</summary>
    public static string? Problem(string id)
    {
        // The ids Firecrawl hands out (UUIDs) are letters, digits and dashes: one pass clears them.
        if (id.Length is > 0 and <= MaxLength && IsPlain(id))
        {
            return null;
        }

        if (string.IsNullOrWhiteSpace(id))
        {
            return id.Length == 0
                ? "The job id is empty; pass the id Firecrawl returned when the job was started."
                : "The job id is only whitespace; pass the id Firecrawl returned when the job was started.";
        }

        if (id.Length > MaxLength)
        {
            return $"The job id {InputText.Quote(id)} is too long for a job id: Firecrawl's are UUIDs of 36 characters, and no id over {MaxLength} is sent.";
        }

        if (id is "." or "..")
        {
            return $"The job id {InputText.Quote(id)} is a relative path segment, not a job id.";
        }

        if (char.IsWhiteSpace(id[0]) || char.IsWhiteSpace(id[^1]))
        {
            return $"The job id {InputText.Quote(id)} has leading or trailing whitespace; pass the id exactly as Firecrawl returned it.";
        }

        for (int i = 0; i < id.Length; i++)
        {
            char c = id[i];

            // An unpaired UTF-16 surrogate has no UTF-8 form: escaping would send U+FFFD instead, which is another id.
            if (char.IsSurrogate(c))
            {
                if (char.IsHighSurrogate(c) && i + 1 < id.Length && char.IsLowSurrogate(id[i + 1]))
                {
                    i++;
                    continue;
                }

                return $"The job id {InputText.Quote(id)} has an unpaired UTF-16 surrogate (U+{(int)c:X4}) at position {i}, so it cannot be sent as itself; pass the id exactly as Firecrawl returned it.";
            }

            if (c is '/' or '\\' or '?' or '#')
            {
                return $"The job id {InputText.Quote(id)} contains '{c}', which would change the URL; a job id is a single path segment such as a UUID.";
            }

            if (char.IsControl(c))
            {
                return $"The job id {InputText.Quote(id)} contains the control character U+{(int)c:X4}; a job id is a single path segment such as a UUID.";
            }
        }

        return null;
    }

    /// <summary>
    /// Only ASCII letters, digits, '-' and '_'. A loop rather than SearchValues, whose construction and vectorized search
    /// cost a fresh process about 9 ms of JIT (measured with benchmarks/jit-profile.sh), for 36 characters.
    /// </summary>
    private static bool IsPlain(string id)
    {
        foreach (char c in id)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('-' or '_'))
            {
                return false;
            }
        }

        return true;
    }
}
