using System.Text.RegularExpressions;

namespace Firecrawl.Client.DocsTests;

/// <summary>A fenced code block: where it starts (for failure messages), its language and its text.</summary>
public sealed record CodeBlock(string File, int Line, string Language, string Code)
{
    public override string ToString() => $"{File}:{Line}";
}

/// <summary>A link in a Markdown file, with the line it is on.</summary>
public sealed record MarkdownLink(string File, int Line, string Target)
{
    public override string ToString() => $"{File}:{Line} -> {Target}";
}

/// <summary>
/// Just enough Markdown for the documentation checks: fenced blocks, inline links and headings, as GitHub reads them.
/// </summary>
public static partial class Markdown
{
    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>
    /// The files a reader sees: the README, the project files beside it, the READMEs the packages carry to NuGet, and
    /// everything in docs/.
    /// </summary>
    public static IReadOnlyList<string> DocumentationFiles { get; } =
    [
        "README.md", "CONTRIBUTING.md", "CHANGELOG.md",
        "src/Firecrawl.Client/README.md", "src/Firecrawl.Client.Testing/README.md", "src/Firecrawl.Cli/README.md",
        .. Directory.GetFiles(Path.Combine(RepositoryRoot, "docs"), "*.md")
            .Select(path => Path.GetRelativePath(RepositoryRoot, path).Replace('\\', '/'))
            .Order(StringComparer.Ordinal),
    ];

    public static IReadOnlyList<CodeBlock> CodeBlocks(string relativePath)
    {
        string[] lines = File.ReadAllLines(Path.Combine(RepositoryRoot, relativePath));
        var blocks = new List<CodeBlock>();
        for (int i = 0; i < lines.Length; i++)
        {
            Match open = FenceOpen().Match(lines[i]);
            if (!open.Success)
            {
                continue;
            }

            string fence = open.Groups["fence"].Value;
            int start = i;
            var body = new List<string>();
            for (i++; i < lines.Length && !lines[i].TrimStart().StartsWith(fence, StringComparison.Ordinal); i++)
            {
                body.Add(lines[i]);
            }

            blocks.Add(new CodeBlock(relativePath, start + 1, open.Groups["lang"].Value.ToLowerInvariant(),
                string.Join('\n', body)));
        }

        return blocks;
    }

    public static IReadOnlyList<MarkdownLink> Links(string relativePath)
    {
        string[] lines = File.ReadAllLines(Path.Combine(RepositoryRoot, relativePath));
        var links = new List<MarkdownLink>();
        bool inFence = false;
        for (int i = 0; i < lines.Length; i++)
        {
            if (FenceOpen().IsMatch(lines[i]))
            {
                inFence = !inFence;
                continue;
            }

            if (inFence)
            {
                continue;
            }

            string withoutCode = InlineCode().Replace(lines[i], string.Empty);
            foreach (Match link in InlineLink().Matches(withoutCode))
            {
                links.Add(new MarkdownLink(relativePath, i + 1, link.Groups["target"].Value));
            }

            foreach (Match bare in BareUrl().Matches(withoutCode))
            {
                links.Add(new MarkdownLink(relativePath, i + 1, bare.Value));
            }
        }

        return links;
    }

    /// <summary>The anchors GitHub gives a file's headings: lower case, punctuation dropped, spaces to hyphens.</summary>
    public static IReadOnlySet<string> Anchors(string relativePath)
    {
        var anchors = new HashSet<string>(StringComparer.Ordinal);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        bool inFence = false;
        foreach (string line in File.ReadAllLines(Path.Combine(RepositoryRoot, relativePath)))
        {
            if (FenceOpen().IsMatch(line))
            {
                inFence = !inFence;
                continue;
            }

            Match heading = Heading().Match(line);
            if (inFence || !heading.Success)
            {
                continue;
            }

            string text = InlineLink().Replace(heading.Groups["text"].Value, "${text}");
            string slug = NotSlug().Replace(text.Trim().ToLowerInvariant(), string.Empty).Replace(' ', '-');
            int count = seen.GetValueOrDefault(slug);
            seen[slug] = count + 1;
            anchors.Add(count == 0 ? slug : $"{slug}-{count}");
        }

        return anchors;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Firecrawl.Client.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Firecrawl.Client.sln was not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"^\s*(?<fence>```+|~~~+)\s*(?<lang>[^\s`]*)")]
    private static partial Regex FenceOpen();

    [GeneratedRegex(@"`[^`]*`")]
    private static partial Regex InlineCode();

    [GeneratedRegex(@"\[(?<text>[^\]]*)\]\((?<target>[^)\s]+)(\s+""[^""]*"")?\)")]
    private static partial Regex InlineLink();

    // GitHub leaves trailing punctuation out of an autolink.
    [GeneratedRegex(@"(?<![(\[<])\bhttps?://[^\s)>\]]*[^\s)>\].,;:!?'""]")]
    private static partial Regex BareUrl();

    [GeneratedRegex(@"^#{1,6}\s+(?<text>.+?)\s*#*\s*$")]
    private static partial Regex Heading();

    [GeneratedRegex(@"[^\p{L}\p{Nd}\p{Mn}\p{Pc} -]")]
    private static partial Regex NotSlug();
}
