namespace Firecrawl.Client;

/// <summary>
/// A job id must be exactly one path segment. Refit escapes <c>/ ? #</c>, but <c>.</c> and <c>..</c> survive escaping
/// and are collapsed by <see cref="Uri"/>, which would send the DELETE to another route; so those, and anything that
/// can only be a mistake, are refused before a request is made. UUID versions are not checked: ids are v4 or v7.
/// </summary>
internal static class JobIdValidator
{
    public static void ThrowIfInvalid(string id, string paramName = "id")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id, paramName);
        if (id is "." or "..")
        {
            throw new ArgumentException($"The job id '{id}' is a relative path segment, not a job id.", paramName);
        }

        if (char.IsWhiteSpace(id[0]) || char.IsWhiteSpace(id[^1]))
        {
            throw new ArgumentException("The job id has leading or trailing whitespace; pass the id exactly as Firecrawl returned it.", paramName);
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

                throw new ArgumentException(
                    $"The job id has an unpaired UTF-16 surrogate (U+{(int)c:X4}) at position {i}, so it cannot be sent as itself; pass the id exactly as Firecrawl returned it.",
                    paramName);
            }

            if (c is '/' or '\\' or '?' or '#')
            {
                throw new ArgumentException($"The job id contains '{c}', which would change the URL; a job id is a single path segment such as a UUID.", paramName);
            }

            if (char.IsControl(c))
            {
                throw new ArgumentException($"The job id contains the control character U+{(int)c:X4}; a job id is a single path segment such as a UUID.", paramName);
            }
        }
    }
}
