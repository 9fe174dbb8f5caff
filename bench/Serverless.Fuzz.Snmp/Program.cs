using Serverless.Fuzz.Snmp;
using SharpFuzz;

const string Usage = """
    SNMP decoder fuzz target (SharpFuzz). scripts/fuzz-snmp.sh runs it under afl-fuzz.

    Usage: Serverless.Fuzz.Snmp                  read one input from stdin (the afl-fuzz target)
           Serverless.Fuzz.Snmp --seeds DIR      write the seed corpus into DIR
           Serverless.Fuzz.Snmp --replay FILE... run inputs once each; exit 1 if any is a finding
    """;

switch (args)
{
    case ["--help" or "-h"]:
        Console.WriteLine(Usage);
        return 0;
    case ["--seeds", var folder]:
        Directory.CreateDirectory(folder);
        foreach (var (name, bytes) in Seeds.All())
        {
            File.WriteAllBytes(Path.Combine(folder, name), bytes);
        }

        return 0;
    case ["--replay", .. var files]:
        var findings = 0;
        foreach (var file in files)
        {
            try
            {
                DecoderTarget.Run(File.ReadAllBytes(file));
            }
            catch (Exception exception)
            {
                findings++;
                Console.WriteLine($"{file}: {exception.GetType().Name}: {exception.Message}\n{exception.StackTrace}");
            }
        }

        Console.WriteLine($"{files.Length} inputs replayed, {findings} findings");
        return findings == 0 ? 0 : 1;
    case []:
        Fuzzer.OutOfProcess.Run(stream =>
        {
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            DecoderTarget.Run(buffer.ToArray());
        });
        return 0;
    default:
        Console.Error.WriteLine(Usage);
        return 2;
}
