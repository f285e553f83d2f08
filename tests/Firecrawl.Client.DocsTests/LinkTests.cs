namespace Firecrawl.Client.DocsTests;

public sealed class LinkTests
{
    public static TheoryData<MarkdownLink> AllLinks()
    {
        var data = new TheoryData<MarkdownLink>();
        foreach (string file in Markdown.DocumentationFiles)
        {
            foreach (MarkdownLink link in Markdown.Links(file))
            {
                data.Add(link);
            }
        }

        return data;
    }

    /// <summary>
    /// The documentation travels with the package and the clone; a link that leaves the repository (or points at a
    /// file that is not in it) breaks for some reader, so every link is relative and lands on a file and heading.
    /// </summary>
    [Theory]
    [MemberData(nameof(AllLinks))]
    public void Every_link_lands_inside_the_repository(MarkdownLink link)
    {
        Assert.False(link.Target.Contains("://", StringComparison.Ordinal) || link.Target.StartsWith("mailto:", StringComparison.Ordinal),
            $"{link} leaves the repository");

        string[] parts = link.Target.Split('#', 2);
        string file = parts[0].Length == 0
            ? link.File
            : Path.GetRelativePath(Markdown.RepositoryRoot,
                Path.GetFullPath(Path.Combine(Markdown.RepositoryRoot, Path.GetDirectoryName(link.File)!, parts[0])));
        string full = Path.Combine(Markdown.RepositoryRoot, file);
        Assert.False(file.StartsWith("..", StringComparison.Ordinal), $"{link} leaves the repository");
        Assert.True(File.Exists(full) || Directory.Exists(full), $"{link}: {file} does not exist");

        if (parts.Length == 2)
        {
            Assert.True(file.EndsWith(".md", StringComparison.Ordinal), $"{link}: an anchor into a file that is not Markdown");
            Assert.Contains(parts[1], Markdown.Anchors(file));
        }
    }
}
