# Evaluates a UFO `.ufo/iam_roles/*.rb` file as UFO does, and prints the IAM role properties
# UFO would build from it, as JSON: {"Policies": [...], "ManagedPolicyArns": [...]}.
#
# UFO (boltops-tools/ufo) evaluates the file with its DSL (Ufo::IamRole::Dsl: `iam_policy`
# and `managed_iam_policy` register what they are given, flattened, in Ufo::IamRole::Registry),
# then Ufo::IamRole::Builder makes the role: each policy becomes {PolicyName, PolicyDocument:
# {Version: "2012-10-17", Statement: statements}}, and each managed policy that does not
# include "iam::aws:policy" is prefixed with "arn:aws:iam::aws:policy/". This file follows that
# behaviour, value for value, so that what UFO would deploy is what the test compares.
require "json"

class UfoIamRoleDsl
  attr_reader :policies, :managed

  def initialize
    @policies = []
    @managed = []
  end

  def iam_policy(policy_name, *statements)
    entry = [policy_name, statements.flatten]
    @policies << entry unless @policies.include?(entry)
  end

  def managed_iam_policy(*policies)
    policies.flatten.each { |p| @managed << p unless @managed.include?(p) }
  end

  def role_properties
    props = {}
    unless @policies.empty?
      props["Policies"] = @policies.map do |name, statements|
        { "PolicyName" => name, "PolicyDocument" => { "Version" => "2012-10-17", "Statement" => statements } }
      end
    end
    unless @managed.empty?
      props["ManagedPolicyArns"] = @managed.map do |item|
        item.include?("iam::aws:policy") ? item : "arn:aws:iam::aws:policy/#{item}"
      end
    end
    props
  end
end

dsl = UfoIamRoleDsl.new
path = ARGV.fetch(0)
dsl.instance_eval(File.read(path), path)
puts JSON.generate(dsl.role_properties)
