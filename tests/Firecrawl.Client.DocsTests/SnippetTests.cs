using System.Reflection;
using Microsoft.CodeAnalysis;

namespace Firecrawl.Client.DocsTests;

public sealed class SnippetTests
{
    private static readonly string[] CSharp = ["csharp", "cs", "c#"];

    public static TheoryData<CodeBlock> CSharpBlocks()
    {
        var data = new TheoryData<CodeBlock>();
        foreach (string file in Markdown.DocumentationFiles)
        {
            foreach (CodeBlock block in Markdown.CodeBlocks(file).Where(b => CSharp.Contains(b.Language)))
            {
                data.Add(block);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(CSharpBlocks))]
    public void Every_csharp_block_compiles_as_pasted(CodeBlock block)
    {
        var (_, errors) = SnippetCompiler.Compile(block);

        Assert.True(errors.IsEmpty, $"{block} does not compile as pasted:\n" + string.Join('\n',
            errors.Select(e => $"  line {e.Location.GetLineSpan().StartLinePosition.Line + block.Line + 1}: {e.Id} {e.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}")));
    }

    [Fact]
    public void The_readme_has_its_examples_as_csharp_blocks()
    {
        // Guards the check above: a renamed fence ("C#" to "c-sharp") would otherwise drop a block silently.
        IReadOnlyList<CodeBlock> blocks = Markdown.CodeBlocks("README.md");
        Assert.True(blocks.Count(b => CSharp.Contains(b.Language)) >= 10, "the README's C# examples were not found");
        Assert.All(blocks, b => Assert.True(b.Language.Length > 0, $"{b} has no language on its fence"));
    }

    /// <summary>
    /// The test classes in the docs are run, not only compiled: a reader copies them as a starting point, so each
    /// must pass against the real emulator or stub it shows.
    /// </summary>
    [Theory]
    [MemberData(nameof(CSharpBlocks))]
    public async Task Every_test_class_in_the_docs_passes(CodeBlock block)
    {
        var (compilation, errors) = SnippetCompiler.Compile(block);
        Assert.Empty(errors);
        if (compilation.Options.OutputKind != OutputKind.DynamicallyLinkedLibrary)
        {
            return; // a program: it needs a key and a server, so compiling is the check
        }

        Assembly assembly = SnippetCompiler.Load(compilation);
        var facts = assembly.GetTypes()
            .SelectMany(type => type.GetMethods().Select(method => (type, method)))
            .Where(pair => pair.method.GetCustomAttribute<FactAttribute>() is not null)
            .ToList();
        Assert.True(facts.Count == block.Code.Split("[Fact]").Length - 1, $"{block}: not every [Fact] was found to run");

        foreach (var (type, method) in facts)
        {
            object instance = Activator.CreateInstance(type)!;
            try
            {
                if (method.Invoke(instance, null) is Task task)
                {
                    await task;
                }
            }
            finally
            {
                switch (instance)
                {
                    case IAsyncDisposable asyncDisposable: await asyncDisposable.DisposeAsync(); break;
                    case IDisposable disposable: disposable.Dispose(); break;
                }
            }
        }
    }
}
