# The Ruby runtime of an execution environment: loads the handler (`file.method`, or
# `file.Module::Class.method`), then asks the Runtime API for events and answers each one, as
# Lambda's Ruby runtime does. Standard library only (net/http, json): it runs inside every
# environment, before and beside the user's code. Started as `ruby bootstrap.rb`, with _HANDLER,
# LAMBDA_TASK_ROOT and AWS_LAMBDA_RUNTIME_API in the environment.
require 'json'
require 'net/http'

$stdout.sync = true
$stderr.sync = true

module SelflessRuntime
  API = '/2018-06-01/runtime'

  # An error of the runtime's own, reported with its dotted Lambda type.
  class Fault < StandardError
    attr_reader :type

    def initialize(type, message)
      super(message)
      @type = type
    end
  end

  # _X_AMZN_TRACE_ID, which changes with every invocation. ENV[]= calls the C library's setenv, and
  # glibc never frees a replaced value (it keeps every distinct "name=value" it was given: some 140
  # bytes an invocation, 41 MB after 300,000). putenv takes the caller's own string instead: each
  # value goes into one buffer owned here, handed over each time. ENV reads the C environment, so
  # it shows the value, as child processes do. Without Fiddle, or for a longer value, ENV[]= it is.
  class TraceIdEnv
    NAME = '_X_AMZN_TRACE_ID'
    SIZE = 4096

    def initialize
      require 'fiddle'
      @putenv = Fiddle::Function.new(Fiddle.dlopen(nil)['putenv'], [Fiddle::TYPE_VOIDP], Fiddle::TYPE_INT)
      @buffer = Fiddle::Pointer.malloc(SIZE)
    rescue LoadError, StandardError
      @buffer = nil
    end

    def set(value)
      entry = "#{NAME}=#{value}".b
      if @buffer.nil? || entry.bytesize >= SIZE || entry.include?("\0")
        ENV[NAME] = value
        return
      end
      @buffer[0, entry.bytesize] = entry
      @buffer[entry.bytesize] = 0
      @putenv.call(@buffer)
    end
  end

  # What Lambda's Ruby runtime passes as `context:`.
  class Context
    attr_reader :aws_request_id, :invoked_function_arn, :function_name, :function_version,
                :memory_limit_in_mb, :log_group_name, :log_stream_name, :deadline_ms,
                :identity, :client_context

    def initialize(headers)
      @aws_request_id = headers['lambda-runtime-aws-request-id']
      @invoked_function_arn = headers['lambda-runtime-invoked-function-arn']
      @deadline_ms = headers['lambda-runtime-deadline-ms'].to_i
      @identity = parse(headers['lambda-runtime-cognito-identity'])
      @client_context = parse(headers['lambda-runtime-client-context'])
      @function_name = ENV['AWS_LAMBDA_FUNCTION_NAME']
      @function_version = ENV['AWS_LAMBDA_FUNCTION_VERSION']
      @memory_limit_in_mb = ENV['AWS_LAMBDA_FUNCTION_MEMORY_SIZE']
      @log_group_name = ENV['AWS_LAMBDA_LOG_GROUP_NAME']
      @log_stream_name = ENV['AWS_LAMBDA_LOG_STREAM_NAME']
    end

    def get_remaining_time_in_millis
      [@deadline_ms - (Time.now.to_f * 1000).to_i, 0].max
    end

    private

    def parse(value)
      value.nil? || value.empty? ? nil : JSON.parse(value)
    end
  end

  # The Runtime API over one kept-alive connection; /next waits as long as it takes.
  class Client
    def initialize(address)
      host, port = address.split(':')
      @http = Net::HTTP.new(host, port.to_i)
      @http.read_timeout = nil
      @http.keep_alive_timeout = 3600
      @http.start
    end

    def next_event
      response = @http.request(Net::HTTP::Get.new("#{API}/invocation/next"))
      [response.body, response.to_hash.transform_values(&:first)]
    end

    def respond(request_id, body)
      post("#{API}/invocation/#{request_id}/response", body)
    end

    def error(request_id, err)
      post("#{API}/invocation/#{request_id}/error", JSON.generate(SelflessRuntime.error_body(err)), SelflessRuntime.error_type(err))
    end

    def init_error(err)
      post("#{API}/init/error", JSON.generate(SelflessRuntime.error_body(err)), SelflessRuntime.error_type(err))
    end

    private

    def post(path, body, error_type = nil)
      request = Net::HTTP::Post.new(path, 'Content-Type' => 'application/json')
      request['Lambda-Runtime-Function-Error-Type'] = error_type if error_type
      request.body = body
      @http.request(request)
    end
  end

  def self.error_type(err)
    err.is_a?(Fault) ? err.type : "Function<#{err.class}>"
  end

  def self.error_body(err)
    { errorMessage: err.message, errorType: error_type(err), stackTrace: err.backtrace || [] }
  end

  # `file.method` calls a method defined at the top of file.rb; `file.Module::Class.method` a class method.
  def self.load_handler(handler, task_root)
    parts = handler.split('.')
    raise Fault.new('Runtime.MalformedHandlerName', "Bad handler #{handler}: expected file.method or file.Module::Class.method") unless [2, 3].include?(parts.size) && parts.none?(&:empty?)

    file, *owner, method_name = parts
    begin
      require File.join(task_root, file)
    rescue LoadError => e
      raise Fault.new('Runtime.ImportModuleError', "Error loading the handler file #{file}: #{e.message}")
    end
    receiver = owner.empty? ? Object.new : Object.const_get(owner.first)
    unless receiver.respond_to?(method_name, true)
      raise Fault.new('Runtime.HandlerNotFound', "Handler '#{method_name}' not found in #{owner.first || file}")
    end
    ->(event, context) { receiver.send(method_name, event: event, context: context) }
  end

  def self.run
    client = Client.new(ENV.fetch('AWS_LAMBDA_RUNTIME_API'))
    begin
      handler = load_handler(ENV.fetch('_HANDLER'), ENV.fetch('LAMBDA_TASK_ROOT'))
    rescue StandardError, ScriptError => e
      warn "Init error: #{e.class}: #{e.message}"
      client.init_error(e)
      exit 1
    end
    trace_env = TraceIdEnv.new
    loop do
      body, headers = client.next_event
      request_id = headers['lambda-runtime-aws-request-id']
      trace_env.set(headers['lambda-runtime-trace-id']) if headers['lambda-runtime-trace-id']
      begin
        event = JSON.parse(body)
        result = handler.call(event, Context.new(headers))
        client.respond(request_id, JSON.generate(result))
      rescue StandardError, ScriptError => e
        warn "Error raised from handler method: #{e.class}: #{e.message}"
        client.error(request_id, e)
      end
    end
  end
end

SelflessRuntime.run
