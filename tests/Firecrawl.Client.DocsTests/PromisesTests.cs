using System.Text.RegularExpressions;

namespace Firecrawl.Client.DocsTests;

/// <summary>
/// <c>docs/promises.md</c> lists every behaviour the documentation promises with the tests that prove it. A row that
/// names no test, or names one that no longer exists, fails here, so a promise cannot lose its proof quietly.
/// </summary>
public sealed partial class PromisesTests
{
    private const string Ledger = "docs/promises.md";

    /// <summary>Every test method in the repository, as <c>Class.Method</c>, read from the sources.</summary>
    private static readonly HashSet<string> KnownTests = FindTests();

    public static TheoryData<string> Rows()
    {
        var rows = new TheoryData<string>();
        foreach (string row in LedgerRows())
        {
            rows.Add(row);
        }

        return rows;
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void Every_promise_names_tests_that_exist(string row)
    {
        string[] cells = row.Trim().Trim('|').Split('|').Select(static c => c.Trim()).ToArray();
        Assert.True(cells.Length == 3, $"A row has three cells (promise, where, tests): {row}");
        string[] tests = [.. Quoted().Matches(cells[2]).Select(static m => m.Groups[1].Value)];
        Assert.True(tests.Length > 0, $"The promise names no test: {cells[0]}");
        foreach (string test in tests)
        {
            bool exists = test.StartsWith(".ci/", StringComparison.Ordinal)
                ? File.Exists(Path.Combine(Markdown.RepositoryRoot, test))
                : KnownTests.Contains(test);
            Assert.True(exists, $"'{test}', named for \"{cells[0]}\", is not a test in tests/ nor a script in .ci/.");
        }
    }

    [Fact]
    public void The_ledger_has_a_promise_for_each_part_of_the_docs()
    {
        string[] rows = LedgerRows();
        Assert.True(rows.Length >= 60, $"Only {rows.Length} rows: the ledger covers every promise of the README and docs/.");
        foreach (string page in new[] { "README", "retries-and-timeouts.md", "errors.md", "security.md", "configuration.md", "emulator.md", "cli.md", "bulk-cancel.md", "observability.md", "fleet.md" })
        {
            Assert.Contains(rows, row => row.Split('|')[2].Contains(page, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void A_name_that_is_not_a_test_is_not_counted_as_one()
    {
        // The check above must be able to fail: a made-up name, and a class name without a method, are not tests.
        Assert.DoesNotContain("PromisesTests.No_such_test", KnownTests);
        Assert.DoesNotContain("PromisesTests", KnownTests);
        Assert.Contains("PromisesTests.Every_promise_names_tests_that_exist", KnownTests);
    }

    private static string[] LedgerRows() =>
        [.. File.ReadAllLines(Path.Combine(Markdown.RepositoryRoot, Ledger))
            .Where(static line => line.StartsWith("| ", StringComparison.Ordinal) && !line.StartsWith("| Promise |", StringComparison.Ordinal))];

    private static HashSet<string> FindTests()
    {
        var tests = new HashSet<string>(StringComparer.Ordinal);
        string root = Path.Combine(Markdown.RepositoryRoot, "tests");
        foreach (string file in Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories))
        {
            string relative = Path.GetRelativePath(root, file).Replace('\\', '/');
            if (relative.Contains("/obj/", StringComparison.Ordinal) || relative.Contains("/bin/", StringComparison.Ordinal))
            {
                continue;
            }

            string? type = null;
            bool attributed = false;
            foreach (string line in File.ReadLines(file))
            {
                if (ClassDeclaration().Match(line) is { Success: true } declared)
                {
                    type = declared.Groups[1].Value;
                }
                else if (TestAttribute().IsMatch(line))
                {
                    attributed = true;
                }
                else if (attributed && MethodDeclaration().Match(line) is { Success: true } method && type is not null)
                {
                    tests.Add($"{type}.{method.Groups[1].Value}");
                    attributed = false;
                }
            }
        }

        return tests;
    }

    [GeneratedRegex(@"`([^`]+)`")]
    private static partial Regex Quoted();

    [GeneratedRegex(@"^\s*public (?:sealed |static |abstract |partial )*class (\w+)")]
    private static partial Regex ClassDeclaration();

    [GeneratedRegex(@"^\s*\[(Fact|Theory)\b")]
    private static partial Regex TestAttribute();

    [GeneratedRegex(@"^\s*public (?:async Task|Task|void) (\w+)\(")]
    private static partial Regex MethodDeclaration();
}
