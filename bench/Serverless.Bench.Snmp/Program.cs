using BenchmarkDotNet.Running;
using Serverless.Bench.Snmp;

// Encode and decode cost per PDU. Usage: dotnet run -c Release --project bench/Serverless.Bench.Snmp [-- --filter *]
BenchmarkSwitcher.FromAssembly(typeof(CodecBenchmarks).Assembly).Run(args.Length == 0 ? ["--filter", "*"] : args);
