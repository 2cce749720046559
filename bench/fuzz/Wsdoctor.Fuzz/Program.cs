using SharpFuzz;
using Wsdoctor.Fuzz.Targets;

// wsdoctor-fuzz list                      the targets, then the pending ones
// wsdoctor-fuzz run TARGET                under afl-fuzz: SharpFuzz's in-process fork server, one process for all runs
// wsdoctor-fuzz replay TARGET PATH...     each file (or every file of a folder) through the invariants; exit 1 on a violation
const string Usage = "usage: wsdoctor-fuzz list | run TARGET | replay TARGET FILE|DIR...";

if (args.Length == 0)
{
    Console.Error.WriteLine(Usage);
    return 2;
}

if (args[0] == "list")
{
    foreach (var target in FuzzTargets.All)
    {
        Console.WriteLine($"{target.Name}\t{target.Parser}");
    }

    foreach (var pending in FuzzTargets.Pending)
    {
        Console.WriteLine($"{pending.Name}\tpending ({pending.Where}): {pending.Parser}");
    }

    return 0;
}

if (args.Length < 2 || (args[0] != "run" && args[0] != "replay"))
{
    Console.Error.WriteLine(Usage);
    return 2;
}

if (FuzzTargets.Find(args[1]) is not { } chosen)
{
    Console.Error.WriteLine($"wsdoctor-fuzz: no target '{args[1]}' (wsdoctor-fuzz list names them)");
    return 2;
}

if (args[0] == "run")
{
    // An input that breaks an invariant throws out of the action: SharpFuzz reports it to afl-fuzz as a crash.
    Fuzzer.Run(stream =>
    {
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        Invariants.Check(chosen, copy.ToArray());
    });
    return 0;
}

int failures = 0;
var files = args.Skip(2).SelectMany(p => Directory.Exists(p) ? Directory.EnumerateFiles(p).Order(StringComparer.Ordinal) : (IEnumerable<string>)[p]);
foreach (var file in files)
{
    var input = File.ReadAllBytes(file);
    var started = System.Diagnostics.Stopwatch.GetTimestamp();
    try
    {
        var result = Invariants.Check(chosen, input);
        Console.WriteLine($"{file}: {result} ({Took(started)} ms)");
    }
    catch (InvariantViolation e)
    {
        failures++;
        Console.WriteLine($"{file}: VIOLATION {e.Message} ({Took(started)} ms)");
        if (e.InnerException is { } inner)
        {
            Console.WriteLine(inner.ToString());
        }
    }
}

return failures == 0 ? 0 : 1;

static long Took(long started) => (long)System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds;
