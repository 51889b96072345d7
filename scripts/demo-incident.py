"""Metrics for the demo's cart-service incident, put into the local AWS emulator with boto3.

  incident   20 quiet minutes, then 8 minutes of 6% 5xx and DynamoDB throttling (to now)
  recovery   quiet metrics for the minutes from now on
  state      print the service's task definition and the table's capacity
"""
import datetime
import os
import sys

import boto3

ALB = [{"Name": "LoadBalancer", "Value": "app/cart-alb/50dc6c495c0c9188"}]
TABLE = [{"Name": "TableName", "Value": "cart-service-carts"}]
SERVICE = [{"Name": "ClusterName", "Value": "ecommerce"}, {"Name": "ServiceName", "Value": "cart-service"}]


def client(name):
    return boto3.client(name, endpoint_url=os.environ["AWS_ENDPOINT_URL"], region_name="us-east-1")


def put(minute, errors, throttles):
    cloudwatch = client("cloudwatch")
    data = [
        {"MetricName": "RequestCount", "Dimensions": ALB, "Timestamp": minute, "Value": 1000},
        {"MetricName": "HTTPCode_Target_5XX_Count", "Dimensions": ALB, "Timestamp": minute, "Value": errors},
    ]
    cloudwatch.put_metric_data(Namespace="AWS/ApplicationELB", MetricData=data)
    if throttles:
        cloudwatch.put_metric_data(Namespace="AWS/DynamoDB", MetricData=[
            {"MetricName": "ThrottledRequests", "Dimensions": TABLE, "Timestamp": minute, "Value": throttles}])
    cloudwatch.put_metric_data(Namespace="AWS/ECS", MetricData=[
        {"MetricName": "CPUUtilization", "Dimensions": SERVICE, "Timestamp": minute, "Value": 40}])


def main():
    now = datetime.datetime.now(datetime.timezone.utc).replace(second=0, microsecond=0)
    minute = datetime.timedelta(minutes=1)
    if sys.argv[1] == "incident":
        for back in range(28, 0, -1):
            spike = back <= 8
            put(now - back * minute, 60 if spike else 2, 40 if spike else 0)
    elif sys.argv[1] == "recovery":
        for ahead in range(0, 4):
            put(now + ahead * minute, 1, 0)
    else:
        service = client("ecs").describe_services(cluster="ecommerce", services=["cart-service"])["services"][0]
        table = client("dynamodb").describe_table(TableName="cart-service-carts")["Table"]["ProvisionedThroughput"]
        print(f"   ecommerce/cart-service: task definition {service['taskDefinition']}, desired count {service['desiredCount']}")
        print(f"   cart-service-carts: read {table['ReadCapacityUnits']}, write {table['WriteCapacityUnits']}")


if __name__ == "__main__":
    main()
