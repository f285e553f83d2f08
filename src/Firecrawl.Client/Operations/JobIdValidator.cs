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

        foreach (char c in id)
        {
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
