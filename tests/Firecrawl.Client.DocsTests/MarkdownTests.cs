namespace Firecrawl.Client.DocsTests;

/// <summary>The reader used by the documentation checks, on known input, so a broken reader cannot pass them vacuously.</summary>
public sealed class MarkdownTests : IDisposable
{
    private readonly string _file = Path.Combine(Markdown.RepositoryRoot, "docs", $"probe-{Guid.NewGuid():N}.md");

    public void Dispose() => File.Delete(_file);

    private string Write(string text)
    {
        File.WriteAllText(_file, text);
        return Path.GetRelativePath(Markdown.RepositoryRoot, _file);
    }

    [Fact]
    public void Reads_fenced_blocks_with_their_language_and_line()
    {
        string file = Write("# T\n\n```csharp\nint a = 1;\n```\n\ntext\n\n```bash\nls\n```\n");

        IReadOnlyList<CodeBlock> blocks = Markdown.CodeBlocks(file);

        Assert.Equal([("csharp", 3, "int a = 1;"), ("bash", 9, "ls")], blocks.Select(b => (b.Language, b.Line, b.Code)));
    }

    [Fact]
    public void Finds_links_and_bare_urls_outside_code_only()
    {
        string file = Write("See [a](docs/a.md#x) and https://example.org, not `[b](c.md)`.\n```\n[d](e.md)\n```\n");

        Assert.Equal(["docs/a.md#x", "https://example.org"], Markdown.Links(file).Select(l => l.Target));
    }

    [Fact]
    public void Gives_headings_the_anchors_GitHub_gives_them()
    {
        string file = Write("# Getting started\n## The `firecrawl` command\n## Errors & retries\n## Errors & retries\n");

        Assert.Equal(["errors--retries", "errors--retries-1", "getting-started", "the-firecrawl-command"],
            Markdown.Anchors(file).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_snippet_that_does_not_compile_is_reported()
    {
        var (_, errors) = SnippetCompiler.Compile(new CodeBlock("probe.md", 1, "csharp",
            "using Firecrawl.Client;\nawait client.CancelBatchScrapeAsync(jobId);"));

        Assert.Contains(errors, e => e.Id == "CS0103"); // 'client' and 'jobId' do not exist
    }

    [Fact]
    public void A_snippet_is_compiled_with_the_implicit_usings_of_a_new_console_project()
    {
        var (_, errors) = SnippetCompiler.Compile(new CodeBlock("probe.md", 1, "csharp",
            "using Firecrawl.Client;\nusing var client = new FirecrawlClient(new FirecrawlClientOptions());\nawait Task.Delay(1);\nConsole.WriteLine(client);"));

        Assert.Empty(errors);
    }
}
