#!/usr/bin/env python3
"""Answers, on 127.0.0.1, the few AWS read calls that planning the reference
platform makes, so that `terraform plan` runs with no network and the plan keeps
every data source of the HCL.

Terraform reads four data sources over the network while planning:
  data.aws_ec2_managed_prefix_list.cloudfront       EC2 DescribeManagedPrefixLists,
                                                    GetManagedPrefixListEntries
  data.aws_cloudfront_cache_policy.*                CloudFront ListCachePolicies,
                                                    GetCachePolicy
  data.aws_cloudfront_origin_request_policy.*       CloudFront ListOriginRequestPolicies,
                                                    GetOriginRequestPolicy
  data.aws_ip_ranges.route53_healthchecks           GET ip-ranges.json
and opens one ephemeral resource, which Terraform keeps out of the plan and the
state:
  ephemeral.aws_secretsmanager_random_password.*    Secrets Manager GetRandomPassword
The provider is pointed here with AWS_ENDPOINT_URL_EC2, _CLOUDFRONT and
_SECRETS_MANAGER and the data source's `url` argument (see generate.py). The answers are
AWS's real public values (managed policy ids, the CloudFront origin-facing
prefix list ids, the Route53 health-checker ranges), trimmed to what the
configuration reads. Any other request is answered with an error and logged, so
a new network dependency of the configuration shows up at once.

Usage: mock_aws.py PORT_FILE [PORT]   (binds PORT, or an ephemeral port, and
writes the port to PORT_FILE once it listens)
"""

import http.server
import json
import re
import sys
import urllib.parse

# The AWS-managed prefix list com.amazonaws.global.cloudfront.origin-facing, per region.
PREFIX_LISTS = {"us-east-1": "pl-3b927c52", "eu-west-1": "pl-4fa04526"}
PREFIX_LIST_NAME = "com.amazonaws.global.cloudfront.origin-facing"
# A few of its entries (the data source reads them; the configuration uses only the id).
PREFIX_LIST_ENTRIES = ["120.52.22.96/27", "205.251.249.0/24", "180.163.57.128/26", "204.246.168.0/22"]

CACHE_POLICIES = {
    "Managed-CachingOptimized": ("658327ea-f89d-4fab-a63d-7e88639e58f6", 1, 86400, 31536000, True),
    "Managed-CachingDisabled": ("4135ea2d-6df8-44a3-9df3-4b5a84be39ad", 0, 0, 0, False),
}
ORIGIN_REQUEST_POLICIES = {
    "Managed-AllViewerExceptHostHeader": "b689b0a8-53d0-40ab-baf2-68738e2966ac",
}

# ROUTE53_HEALTHCHECKS ranges of the default health checker regions.
IP_RANGES = {
    "syncToken": "1735689600",
    "createDate": "2025-01-01-00-00-00",
    "prefixes": [
        {"ip_prefix": p, "region": r, "service": "ROUTE53_HEALTHCHECKS", "network_border_group": r}
        for r, ps in [
            ("us-east-1", ["107.23.255.0/26", "54.243.31.192/26"]),
            ("eu-west-1", ["176.34.159.192/26", "54.228.16.0/26"]),
            ("us-west-2", ["54.244.52.192/26", "54.245.168.0/26"]),
        ]
        for p in ps
    ],
    "ipv6_prefixes": [],
}

CF_NS = "http://cloudfront.amazonaws.com/doc/2020-05-31/"
EC2_NS = "http://ec2.amazonaws.com/doc/2016-11-15/"


def cache_policy_xml(name, tag="CachePolicy"):
    pid, min_ttl, default_ttl, max_ttl, compress = CACHE_POLICIES[name]
    enc = "true" if compress else "false"
    return (
        f"<{tag}><Id>{pid}</Id><LastModifiedTime>2020-08-30T00:00:00Z</LastModifiedTime>"
        f"<CachePolicyConfig><Comment>AWS managed policy</Comment><Name>{name}</Name>"
        f"<DefaultTTL>{default_ttl}</DefaultTTL><MaxTTL>{max_ttl}</MaxTTL><MinTTL>{min_ttl}</MinTTL>"
        "<ParametersInCacheKeyAndForwardedToOrigin>"
        f"<EnableAcceptEncodingGzip>{enc}</EnableAcceptEncodingGzip>"
        f"<EnableAcceptEncodingBrotli>{enc}</EnableAcceptEncodingBrotli>"
        "<HeadersConfig><HeaderBehavior>none</HeaderBehavior></HeadersConfig>"
        "<CookiesConfig><CookieBehavior>none</CookieBehavior></CookiesConfig>"
        "<QueryStringsConfig><QueryStringBehavior>none</QueryStringBehavior></QueryStringsConfig>"
        "</ParametersInCacheKeyAndForwardedToOrigin></CachePolicyConfig></" + tag + ">"
    )


def origin_request_policy_xml(name, tag="OriginRequestPolicy"):
    pid = ORIGIN_REQUEST_POLICIES[name]
    return (
        f"<{tag}><Id>{pid}</Id><LastModifiedTime>2022-08-10T00:00:00Z</LastModifiedTime>"
        f"<OriginRequestPolicyConfig><Comment>AWS managed policy</Comment><Name>{name}</Name>"
        "<HeadersConfig><HeaderBehavior>allExcept</HeaderBehavior>"
        "<Headers><Quantity>1</Quantity><Items><Name>host</Name></Items></Headers></HeadersConfig>"
        "<CookiesConfig><CookieBehavior>all</CookieBehavior></CookiesConfig>"
        "<QueryStringsConfig><QueryStringBehavior>all</QueryStringBehavior></QueryStringsConfig>"
        "</OriginRequestPolicyConfig></" + tag + ">"
    )


def request_region(headers):
    m = re.search(r"Credential=[^/]+/\d{8}/([a-z0-9-]+)/", headers.get("Authorization", ""))
    return m.group(1) if m else "us-east-1"


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def reply(self, status, body, ctype="text/xml", extra=None):
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("x-amzn-RequestId", "00000000-0000-0000-0000-000000000000")
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def unexpected(self, what):
        sys.stderr.write(f"mock_aws: unexpected request {what}\n")
        self.reply(400, f'<ErrorResponse><Error><Code>MockUnsupported</Code><Message>{what}</Message></Error></ErrorResponse>')

    def do_GET(self):
        url = urllib.parse.urlparse(self.path)
        path = url.path
        if path.endswith("/ip-ranges.json"):
            return self.reply(200, json.dumps(IP_RANGES), "application/json")
        head = f'<?xml version="1.0" encoding="UTF-8"?>'
        if path == "/2020-05-31/cache-policy":
            items = "".join(
                f"<CachePolicySummary><Type>managed</Type>{cache_policy_xml(n)}</CachePolicySummary>"
                for n in CACHE_POLICIES)
            return self.reply(200, f'{head}<CachePolicyList xmlns="{CF_NS}"><MaxItems>100</MaxItems>'
                              f'<Quantity>{len(CACHE_POLICIES)}</Quantity><Items>{items}</Items></CachePolicyList>')
        m = re.fullmatch(r"/2020-05-31/cache-policy/([0-9a-f-]+)", path)
        if m:
            for n, v in CACHE_POLICIES.items():
                if v[0] == m.group(1):
                    body = cache_policy_xml(n).replace("<CachePolicy>", f'<CachePolicy xmlns="{CF_NS}">', 1)
                    return self.reply(200, head + body, extra={"ETag": "E2MOCKETAG"})
        if path == "/2020-05-31/origin-request-policy":
            items = "".join(
                f"<OriginRequestPolicySummary><Type>managed</Type>{origin_request_policy_xml(n)}</OriginRequestPolicySummary>"
                for n in ORIGIN_REQUEST_POLICIES)
            return self.reply(200, f'{head}<OriginRequestPolicyList xmlns="{CF_NS}"><MaxItems>100</MaxItems>'
                              f'<Quantity>{len(ORIGIN_REQUEST_POLICIES)}</Quantity><Items>{items}</Items></OriginRequestPolicyList>')
        m = re.fullmatch(r"/2020-05-31/origin-request-policy/([0-9a-f-]+)", path)
        if m:
            for n, v in ORIGIN_REQUEST_POLICIES.items():
                if v == m.group(1):
                    body = origin_request_policy_xml(n).replace("<OriginRequestPolicy>", f'<OriginRequestPolicy xmlns="{CF_NS}">', 1)
                    return self.reply(200, head + body, extra={"ETag": "E2MOCKETAG"})
        return self.unexpected(f"GET {self.path}")

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length).decode()
        target = self.headers.get("X-Amz-Target", "")
        if target == "secretsmanager.GetRandomPassword":
            # A fixed placeholder: it only ever reaches write-only arguments.
            length = json.loads(raw or "{}").get("PasswordLength", 32)
            return self.reply(200, json.dumps({"RandomPassword": ("OfflinePlan0" * 11)[:length]}),
                              "application/x-amz-json-1.1")
        if target:
            return self.unexpected(f"POST {self.path} X-Amz-Target={target}")
        form = urllib.parse.parse_qs(raw)
        action = form.get("Action", [""])[0]
        region = request_region(self.headers)
        pl = PREFIX_LISTS.get(region)
        if action == "DescribeManagedPrefixLists" and pl:
            item = (f"<item><prefixListId>{pl}</prefixListId><addressFamily>IPv4</addressFamily>"
                    f"<state>create-complete</state><prefixListArn>arn:aws:ec2:{region}:aws:prefix-list/{pl}</prefixListArn>"
                    f"<prefixListName>{PREFIX_LIST_NAME}</prefixListName><maxEntries>55</maxEntries>"
                    "<version>1</version><tagSet/><ownerId>AWS</ownerId></item>")
            return self.reply(200, f'<DescribeManagedPrefixListsResponse xmlns="{EC2_NS}"><requestId>0</requestId>'
                              f"<prefixListSet>{item}</prefixListSet></DescribeManagedPrefixListsResponse>")
        if action == "GetManagedPrefixListEntries" and pl:
            items = "".join(f"<item><cidr>{c}</cidr></item>" for c in PREFIX_LIST_ENTRIES)
            return self.reply(200, f'<GetManagedPrefixListEntriesResponse xmlns="{EC2_NS}"><requestId>0</requestId>'
                              f"<entrySet>{items}</entrySet></GetManagedPrefixListEntriesResponse>")
        return self.unexpected(f"POST {self.path} Action={action} region={region}")


def main():
    port = int(sys.argv[2]) if len(sys.argv) > 2 else 0
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
    with open(sys.argv[1], "w") as f:
        f.write(str(server.server_address[1]))
    server.serve_forever()


if __name__ == "__main__":
    main()
