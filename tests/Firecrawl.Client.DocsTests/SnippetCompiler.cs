using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Firecrawl.Client.DocsTests;

/// <summary>
/// Compiles one snippet the way a reader's new project would: `dotnet new console` (or `dotnet new xunit` for a test
/// class) with its implicit usings, nullable on and warnings as errors, against the packages the test project
/// references. A snippet with top-level statements is a program; any other is a library.
/// </summary>
public static class SnippetCompiler
{
    /// <summary>The global usings the .NET SDK adds to a new console project (ImplicitUsings=enable).</summary>
    public const string ImplicitUsings = """
        global using System;
        global using System.Collections.Generic;
        global using System.IO;
        global using System.Linq;
        global using System.Net.Http;
        global using System.Threading;
        global using System.Threading.Tasks;
        """;

    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(LoadReferences);

    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    private static readonly ConcurrentDictionary<CodeBlock, (Compilation, ImmutableArray<Diagnostic>)> Compiled = new();

    /// <summary>Compiles a block once; both the compile check and the test run read the same result.</summary>
    public static (Compilation Compilation, ImmutableArray<Diagnostic> Errors) Compile(CodeBlock block) =>
        Compiled.GetOrAdd(block, CompileOnce);

    private static (Compilation Compilation, ImmutableArray<Diagnostic> Errors) CompileOnce(CodeBlock block)
    {
        SyntaxTree snippet = CSharpSyntaxTree.ParseText(block.Code, ParseOptions, path: block.File);
        bool isProgram = snippet.GetRoot().DescendantNodes().OfType<GlobalStatementSyntax>().Any();
        var options = new CSharpCompilationOptions(
                isProgram ? OutputKind.ConsoleApplication : OutputKind.DynamicallyLinkedLibrary,
                nullableContextOptions: NullableContextOptions.Enable,
                generalDiagnosticOption: ReportDiagnostic.Error)
            .WithSpecificDiagnosticOptions(new Dictionary<string, ReportDiagnostic>
            {
                // The SDK's own defaults: reference-version unification notices, not problems in the snippet.
                ["CS1701"] = ReportDiagnostic.Suppress,
                ["CS1702"] = ReportDiagnostic.Suppress,
            });

        Compilation compilation = CSharpCompilation.Create(
            "Snippet_" + Path.GetFileNameWithoutExtension(block.File) + "_" + block.Line,
            [snippet, CSharpSyntaxTree.ParseText(ImplicitUsings, ParseOptions, path: "GlobalUsings.g.cs")],
            References.Value,
            options);

        ImmutableArray<Diagnostic> errors = compilation.GetDiagnostics()
            .Where(d => d.Severity == DiagnosticSeverity.Error)
            .ToImmutableArray();
        return (compilation, errors);
    }

    /// <summary>Emits a compiled library snippet and loads it beside the test's own copies of the client.</summary>
    public static Assembly Load(Compilation compilation)
    {
        using var image = new MemoryStream();
        var result = compilation.Emit(image);
        Assert.True(result.Success, string.Join('\n', result.Diagnostics));
        image.Position = 0;
        return AssemblyLoadContext.Default.LoadFromStream(image);
    }

    private static ImmutableArray<MetadataReference> LoadReferences()
    {
        // Everything this test host can load: the shared frameworks and each package the test project references.
        string tpa = (string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!;
        return tpa.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Where(path => path.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
            .Where(path => !Path.GetFileName(path).StartsWith("Firecrawl.Client.DocsTests", StringComparison.Ordinal))
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
            .ToImmutableArray();
    }
}
