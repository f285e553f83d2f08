using System.CommandLine;
using Firecrawl.Client;

namespace Firecrawl.Cli;

/// <summary>Where a cancel's ids come from: the arguments, <c>--from-file</c> (or stdin), or <c>--all-active</c>.</summary>
internal static class JobIdInput
{
    /// <summary>
    /// The ids from the arguments and the file, read only as the cancel asks for them (a file of a million ids is never
    /// held in memory), or what is wrong with the command line. The file is opened, and its first id looked for, now:
    /// a file that cannot be read, or input without a single id, is a usage error before anything is sent.
    /// </summary>
    public static async Task<(JobIdSource? Ids, string? Problem)> OpenAsync(string[] arguments, string? fromFile, bool allActive, TextReader stdin, Command command)
    {
        // The id list takes any token, so an option this command does not have lands in it; no id starts with '-'.
        if (arguments.FirstOrDefault(static a => a.Length > 1 && a.StartsWith('-')) is { } option)
        {
            return (null, FirecrawlCli.UnknownOption(option.Split('=', ':')[0], command));
        }

        if (allActive)
        {
            return arguments.Length > 0 || fromFile is not null
                ? (null, "--all-active takes no ids: it cancels every active crawl of the team; drop the ids or --from-file.")
                : (JobIdSource.Listed([]), null);
        }

        TextReader? lines = null;
        if (fromFile is not null)
        {
            try
            {
                lines = fromFile == "-" ? stdin : new StreamReader(fromFile);
            }
            catch (Exception error) when (error is IOException or UnauthorizedAccessException)
            {
                return (null, $"--from-file {InputText.Quote(fromFile, 200)} cannot be read: {Reason(error)}.");
            }
        }

        var source = new JobIdSource(arguments, lines, ownsLines: fromFile is not null && fromFile != "-", fromStdin: fromFile == "-");
        try
        {
            if (!await source.HasAnyAsync().ConfigureAwait(false))
            {
                source.Dispose();
                return (null, "No job ids given: pass them as arguments, with --from-file, or (for crawls) use --all-active.");
            }
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            source.Dispose();
            return (null, $"--from-file {InputText.Quote(fromFile!, 200)} cannot be read: {Reason(error)}.");
        }

        return (source, null);
    }

    /// <summary>Why a file cannot be read, in a few words rather than the runtime's sentence (which repeats the path).</summary>
    private static string Reason(Exception error) => error switch
    {
        FileNotFoundException => "there is no such file",
        DirectoryNotFoundException => "its folder does not exist",
        UnauthorizedAccessException => "this user may not read it (or it is a folder)",
        PathTooLongException => "the path is too long",
        _ => TerminalText.Clean(error.GetType().Name),
    };
}

/// <summary>
/// A cancel's ids, read lazily: the arguments, then the file's lines (blank lines and <c>#</c> comments skipped), each
/// distinct id once (<see cref="JobIdSet"/>), counted as they go, so the command holds counters and a set of hashes,
/// never the ids themselves.
/// </summary>
internal sealed class JobIdSource : IEnumerable<string>, IDisposable
{
    private readonly string[] _arguments;
    private readonly TextReader? _lines;
    private readonly bool _ownsLines;
    private readonly JobIdSet _seen = new();
    private string? _peeked;
    private int _nextArgument;
    private bool _linesDone;

    public JobIdSource(string[] arguments, TextReader? lines, bool ownsLines, bool fromStdin)
    {
        _arguments = arguments;
        _lines = lines;
        _ownsLines = ownsLines;
        FromStdin = fromStdin;
        _linesDone = lines is null;
    }

    /// <summary>A source of ids already in hand (the active crawls the server listed).</summary>
    public static JobIdSource Listed(string[] ids) => new(ids, null, ownsLines: false, fromStdin: false);

    /// <summary>Distinct ids handed out so far.</summary>
    public int Read { get; private set; }

    /// <summary>Whether the ids come from standard input, which is never read past what the cancel asked for.</summary>
    public bool FromStdin { get; }

    /// <summary>How many ids there are in all, when that is known before reading them: given as arguments, with no file.</summary>
    public int? KnownTotal => _lines is null ? _arguments.Distinct(StringComparer.Ordinal).Count() : null;

    /// <summary>The one id, when exactly one was given as an argument and no file: the single-job command.</summary>
    public string? SingleArgument => _lines is null && _arguments.Length == 1 ? _arguments[0] : null;

    /// <summary>Whether there is at least one id; reads ahead by one.</summary>
    public async Task<bool> HasAnyAsync()
    {
        _peeked ??= await Task.Run(NextRaw).ConfigureAwait(false);
        return _peeked is not null;
    }

    /// <summary>
    /// How many distinct ids were never handed out: the rest of the arguments and the file, read to the end now (an
    /// interrupted run reports them as not sent). Standard input is not read on (it may never end): <see langword="null"/>.
    /// </summary>
    public int? CountRest()
    {
        if (FromStdin && !_linesDone)
        {
            return null;
        }

        int rest = 0;
        while (Next() is not null)
        {
            rest++;
        }

        return rest;
    }

    public IEnumerator<string> GetEnumerator()
    {
        while (Next() is { } id)
        {
            yield return id;
        }
    }

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

    public void Dispose()
    {
        if (_ownsLines)
        {
            _lines?.Dispose();
        }
    }

    /// <summary>The next distinct id, counted.</summary>
    private string? Next()
    {
        while (true)
        {
            string? id = _peeked ?? NextRaw();
            _peeked = null;
            if (id is null)
            {
                return null;
            }

            if (_seen.Add(id))
            {
                Read++;
                return id;
            }
        }
    }

    /// <summary>The next id as written, repeats included.</summary>
    private string? NextRaw()
    {
        if (_nextArgument < _arguments.Length)
        {
            return _arguments[_nextArgument++];
        }

        while (!_linesDone)
        {
            if (_lines!.ReadLine() is not { } line)
            {
                _linesDone = true;
                break;
            }

            string id = line.Trim();
            if (id.Length > 0 && !id.StartsWith('#'))
            {
                return id;
            }
        }

        return null;
    }
}
