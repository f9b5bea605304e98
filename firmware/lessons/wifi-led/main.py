# 第 13 课：Wi-Fi 遥控灯
# ESP32 自己变成一个 Wi-Fi 热点。手机连上热点“MakerRoom-XXXX”（XXXX 是板子 MAC 地址的
# 最后 4 位，每块板子都不一样；密码 makerroom），
# 用浏览器打开 http://192.168.4.1 ，点按钮就能开关板载 LED。

from machine import Pin, unique_id
import binascii
import network
import socket
import time

led = Pin(2, Pin.OUT)

# 1. 打开热点
# 全班的板子同时开热点：名字里带上这块板子的 MAC（unique_id）后 4 位，手机才不会连错。
SSID = "MakerRoom-" + binascii.hexlify(unique_id()).decode().upper()[-4:]
ap = network.WLAN(network.AP_IF)
ap.active(True)
# 明确用 WPA2 加密（AUTH_WPA2_PSK），不同固件版本的默认值不一样，不要靠默认。
ap.config(essid=SSID, password="makerroom", authmode=network.AUTH_WPA2_PSK)
while not ap.active():
    time.sleep_ms(100)
print("热点", SSID, "已打开，请用浏览器访问", ap.ifconfig()[0])

# 2. 网页：两个大按钮
PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>Wi-Fi 遥控灯</title></head>
<body style="text-align:center;font-size:24px">
<h1>Wi-Fi 遥控灯</h1>
<p>现在灯是：{state}</p>
<p><a href="/on"><button style="font-size:32px">开灯</button></a>
<a href="/off"><button style="font-size:32px">关灯</button></a></p>
</body></html>
"""

# 3. 在 80 端口等待手机来访问
server = socket.socket()
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind(socket.getaddrinfo("0.0.0.0", 80)[0][-1])
server.listen(1)

while True:
    client, address = server.accept()  # 等到有人打开网页
    request = client.recv(1024).decode()  # 请求的第一行像 "GET /on HTTP/1.1"
    path = request.split(" ")[1] if " " in request else "/"
    if path == "/on":
        led.value(1)
    elif path == "/off":
        led.value(0)
    state = "亮" if led.value() else "灭"
    client.send("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n")
    client.send(PAGE.replace("{state}", state))
    client.close()
